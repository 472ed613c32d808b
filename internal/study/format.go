package study

import "strconv"

// ftoa formats a number with the shortest round-trip digits.
func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
