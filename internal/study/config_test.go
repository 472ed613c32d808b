package study

import (
	"math"
	"strings"
	"testing"
)

func TestParseVar(t *testing.T) {
	for _, c := range []struct {
		in, name string
		err      string
	}{
		{"age", "age", ""},
		{"log:ca125", "log_ca125", ""},
		{"per10:age", "per10_age", ""},
		{"per0.5:alp", "per0.5_alp", ""},
		{"sqrt:age", "", "unknown transform"},
		{"per0:age", "", "unknown transform"},
		{"log:", "", "no column"},
		{"", "", "empty"},
	} {
		v, err := ParseVar(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || v.Name() != c.name {
			t.Errorf("%q: %v %v, want %s", c.in, v.Name(), err, c.name)
		}
	}
}

// TestPerUnitOddsRatio: age per 10 years gives the odds ratio of age raised
// to the 10th power.
func TestPerUnitOddsRatio(t *testing.T) {
	c := fixtureConfig()
	c.Bootstrap = 0
	or := func(v string) float64 {
		c.ClinicalVars = []string{v}
		r, err := Run(c)
		if err != nil {
			t.Fatal(err)
		}
		return r.Models["clinical"].Fit.OR[1]
	}
	or1, or10 := or("age"), or("per10:age")
	if math.Abs(or10-math.Pow(or1, 10)) > 1e-9*or10 {
		t.Errorf("OR per 10 years %v, OR per year^10 %v", or10, math.Pow(or1, 10))
	}
}
