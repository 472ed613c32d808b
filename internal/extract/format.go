package extract

import (
	"math"
	"strconv"
	"strings"
)

// FormatFloat renders v as Python's repr of a float64: the shortest digits
// that read back to v, in fixed notation with at least one decimal for
// decimal exponents -4 to 15 ("632.0", "1234567.5", "0.0001"), otherwise in
// exponent notation with a sign and at least two exponent digits ("1e-05",
// "1.3708669717893329e-06", "1e+16"); "nan", "inf", "-inf".
func FormatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	if v == 0 {
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(v, 'e', -1, 64) // d.ddde±XX
	mant, expPart, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expPart)
	if exp >= -4 && exp < 16 {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	sign := "+"
	if exp < 0 {
		sign = "-"
		exp = -exp
	}
	es := strconv.Itoa(exp)
	if len(es) < 2 {
		es = "0" + es
	}
	return mant + "e" + sign + es
}
