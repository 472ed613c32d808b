package hypothesis

import (
	"errors"
	"fmt"
	"math"

	"github.com/spinerad/spinerad/internal/stats/dist"
)

// TTest is a two-sample t-test result (two-sided, mu = 0), as R's t.test
// reports it.
type TTest struct {
	// Welch tells whether the variances were assumed unequal.
	Welch bool
	// T = (mean(x) - mean(y))/stderr: the sign is group x minus group y.
	T float64
	// DF is nx+ny-2 (Student) or the Welch-Satterthwaite value.
	DF float64
	// P = 2·pt(-|T|, DF).
	P float64
	// ConfInt is the 95% interval of mean(x) - mean(y): (T ∓ qt(.975, DF))·stderr.
	ConfInt [2]float64
	// Estimate = (mean(x), mean(y)).
	Estimate [2]float64
	// StdErr is the standard error of the difference.
	StdErr float64
}

// StudentT is R's t.test(x, y, var.equal = TRUE): pooled variance
// v = ((nx-1)vx + (ny-1)vy)/(nx+ny-2), stderr = sqrt(v(1/nx + 1/ny)),
// df = nx+ny-2, t = (mx - my)/stderr, p = 2·pt(-|t|, df), 95% CI
// (t ∓ qt(0.975, df))·stderr. Errors: NaN values (drop missing values
// first), nx+ny < 3 or a group empty, data essentially constant.
func StudentT(x, y []float64) (TTest, error) { return tTest(x, y, false) }

// WelchT is R's t.test(x, y) (var.equal = FALSE): stderr = sqrt(vx/nx +
// vy/ny), df = stderr⁴/((vx/nx)²/(nx-1) + (vy/ny)²/(ny-1)), then t, p and
// CI as in StudentT. Errors: NaN values, a group with fewer than 2 values,
// data essentially constant.
func WelchT(x, y []float64) (TTest, error) { return tTest(x, y, true) }

func tTest(x, y []float64, welch bool) (TTest, error) {
	if err := checkFinite(x, "x"); err != nil {
		return TTest{}, err
	}
	if err := checkFinite(y, "y"); err != nil {
		return TTest{}, err
	}
	nx, ny := float64(len(x)), float64(len(y))
	if len(x) < 1 || len(y) < 1 {
		return TTest{}, errors.New("hypothesis: t-test needs values in both groups")
	}
	mx, vx := meanVar(x)
	my, vy := meanVar(y)
	r := TTest{Welch: welch, Estimate: [2]float64{mx, my}}
	var stderr float64
	if welch {
		if len(x) < 2 || len(y) < 2 {
			return TTest{}, errors.New("hypothesis: Welch t-test needs at least 2 values per group")
		}
		sx := math.Sqrt(vx / nx)
		sy := math.Sqrt(vy / ny)
		stderr = math.Sqrt(sx*sx + sy*sy)
		r.DF = math.Pow(stderr, 4) / (math.Pow(sx, 4)/(nx-1) + math.Pow(sy, 4)/(ny-1))
	} else {
		r.DF = nx + ny - 2
		if r.DF < 1 {
			return TTest{}, errors.New("hypothesis: Student t-test needs at least 3 values")
		}
		v := 0.0
		if len(x) > 1 {
			v += (nx - 1) * vx
		}
		if len(y) > 1 {
			v += (ny - 1) * vy
		}
		v /= r.DF
		stderr = math.Sqrt(v * (1/nx + 1/ny))
	}
	if stderr < 10*eps*math.Max(math.Abs(mx), math.Abs(my)) || stderr == 0 {
		return TTest{}, errors.New("hypothesis: data are essentially constant")
	}
	r.StdErr = stderr
	r.T = (mx - my) / stderr
	r.P = dist.TTwoSided(r.T, r.DF)
	q := dist.TQuantileUpper(0.025, r.DF)
	r.ConfInt = [2]float64{(r.T - q) * stderr, (r.T + q) * stderr}
	return r, nil
}

const eps = 0x1p-52

func checkFinite(x []float64, name string) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("hypothesis: %s[%d] is %v (drop missing values first)", name, i, v)
		}
	}
	return nil
}
