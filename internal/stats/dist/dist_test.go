package dist

import (
	"math"
	"testing"
)

// The cases use degrees of freedom with closed forms: F(2, d2) has
// P(F > f) = (1 + 2f/d2)^(-d2/2); t with 2 df has two-sided p
// 1 - |t|/sqrt(2 + t²); chi-square with 2 df has P(X > x) = exp(-x/2); a
// Cauchy (t with 1 df) has p = 1 - (2/π) atan|t|.
func TestClosedForms(t *testing.T) {
	c := 1 - 2*0.025 // qt(0.975, 2): t/sqrt(2+t²) = 0.95
	cases := []struct {
		name      string
		got, want float64
	}{
		{"pf(4, 2, 20, lower = FALSE)", FUpper(4, 2, 20), math.Pow(1.4, -10)},
		{"pf(300, 2, 30, lower = FALSE)", FUpper(300, 2, 30), math.Pow(1+600.0/30, -15)},
		{"2*pt(-2.5, 2)", TTwoSided(2.5, 2), 1 - 2.5/math.Sqrt(2+6.25)},
		{"2*pt(-40, 1)", TTwoSided(40, 1), 1 - 2/math.Pi*math.Atan(40)},
		{"pchisq(10, 2, lower = FALSE)", ChiSqUpper(10, 2), math.Exp(-5)},
		{"pchisq(150, 2, lower = FALSE)", ChiSqUpper(150, 2), math.Exp(-75)},
		{"2*pnorm(-0)", NormTwoSided(0), 1},
		{"qt(0.975, 2)", TQuantileUpper(0.025, 2), math.Sqrt(2 * c * c / (1 - c*c))},
		{"qf(0.95, 2, 12)", FQuantileUpper(0.05, 2, 12), 6 * (math.Pow(0.05, -2.0/12) - 1)},
		{"sum(c(1e16, 1, -1e16))", Sum([]float64{1e16, 1, -1e16}), 1},
	}
	for _, c := range cases {
		if math.Abs(c.got-c.want) > 1e-12*math.Abs(c.want) {
			t.Errorf("%s = %.17g, want %.17g", c.name, c.got, c.want)
		}
	}
}
