package calibration

import (
	"errors"
	"math"
	"sort"
)

// HLGroup is one row of the Hosmer-Lemeshow table.
type HLGroup struct {
	// Group is the interval's 1-based index (cut()'s level number).
	Group int
	// Lower and Upper are the interval's breaks: (Lower, Upper], the first
	// interval closed on the left.
	Lower, Upper float64
	N            int
	// ObservedEvents = sum y, ExpectedEvents = sum p over the group;
	// the non-event columns are N minus these.
	ObservedEvents, ExpectedEvents       float64
	ObservedNonevents, ExpectedNonevents float64
	// Contribution = (O1-E1)²/E1 + (O0-E0)²/E0.
	Contribution float64
}

// HLResult is the Hosmer-Lemeshow goodness-of-fit test.
type HLResult struct {
	// Breaks = unique(quantile(p, (0:g)/g, type = 7)).
	Breaks []float64
	// Group is each observation's 1-based interval index.
	Group []int
	// Table lists the non-empty groups in increasing order.
	Table []HLGroup
	// ChiSq is the sum of the contributions, DF = len(Table) - 2 and P the
	// upper chi-square tail (NaN when DF < 1).
	ChiSq float64
	DF    int
	P     float64
}

// HosmerLemeshow runs the Hosmer-Lemeshow test with g risk groups, as the
// study's R code (fixture 04) does: breaks = unique(quantile(p, (0:g)/g,
// type = 7)); each p goes to the interval (b[k-1], b[k]] (the first closed,
// so a p equal to an inner break belongs to the lower group, cut(...,
// include.lowest = TRUE)); chisq = sum over non-empty groups of
// (O1-E1)²/E1 + (O0-E0)²/E0 with E1 = sum of p; df = groups used - 2;
// p = 1 - pchisq(chisq, df). This is ResourceSelection::hoslem.test except
// that df counts the groups actually formed. Table lists only non-empty
// groups (an interval between two interpolated quantiles can be empty when
// n is small); P is NaN when fewer than 3 groups remain. Errors: mismatched
// lengths, p outside (0, 1) or NaN, y not 0/1 or a single class, g < 2, all
// p equal.
func HosmerLemeshow(y, p []float64, g int) (*HLResult, error) {
	if err := checkPY(p, y); err != nil {
		return nil, err
	}
	if g < 2 {
		return nil, errors.New("calibration: Hosmer-Lemeshow needs g >= 2")
	}
	sorted := append([]float64(nil), p...)
	sort.Float64s(sorted)
	var breaks []float64
	for k := 0; k <= g; k++ {
		b := quantile7(sorted, float64(k)/float64(g))
		if len(breaks) == 0 || breaks[len(breaks)-1] != b {
			breaks = append(breaks, b)
		}
	}
	res := &HLResult{Breaks: breaks, Group: make([]int, len(p))}
	if len(breaks) < 2 {
		// All p equal: cut() with a single break is an error in R.
		return nil, errors.New("calibration: Hosmer-Lemeshow needs at least two distinct probabilities")
	}
	ng := len(breaks) - 1
	rows := make([]HLGroup, ng)
	for k := range rows {
		rows[k] = HLGroup{Group: k + 1, Lower: breaks[k], Upper: breaks[k+1]}
	}
	inner := breaks[1:]
	for i, v := range p {
		k := sort.SearchFloat64s(inner, v) // first inner break >= v
		if k >= ng {
			k = ng - 1
		}
		res.Group[i] = k + 1
		rows[k].N++
		rows[k].ObservedEvents += y[i]
		rows[k].ExpectedEvents += v
	}
	for _, r := range rows {
		if r.N == 0 {
			continue
		}
		r.ObservedNonevents = float64(r.N) - r.ObservedEvents
		r.ExpectedNonevents = float64(r.N) - r.ExpectedEvents
		d1 := r.ObservedEvents - r.ExpectedEvents
		d0 := r.ObservedNonevents - r.ExpectedNonevents
		r.Contribution = d1*d1/r.ExpectedEvents + d0*d0/r.ExpectedNonevents
		res.ChiSq += r.Contribution
		res.Table = append(res.Table, r)
	}
	res.DF = len(res.Table) - 2
	res.P = math.NaN()
	if res.DF >= 1 {
		res.P = chiSqSurvival(res.ChiSq, float64(res.DF))
	}
	return res, nil
}
