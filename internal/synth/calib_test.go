package synth

import (
	"math"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/glm"
	"github.com/spinerad/spinerad/internal/stats/roc"
	"gonum.org/v1/gonum/mat"
)

// validationAUC fits a logistic model on the train rows of X and returns
// the validation AUC of its linear predictor.
func validationAUC(t *testing.T, X [][]float64, y []float64, train []bool) float64 {
	t.Helper()
	var xt, xv []float64
	var yt, yv []float64
	p := len(X[0])
	for i := range X {
		if train[i] {
			xt = append(xt, X[i]...)
			yt = append(yt, y[i])
		} else {
			xv = append(xv, X[i]...)
			yv = append(yv, y[i])
		}
	}
	// Standardise with train moments (keeps IRLS well conditioned).
	for j := 0; j < p; j++ {
		var s1, s2 float64
		n := float64(len(yt))
		for i := range yt {
			s1 += xt[i*p+j]
			s2 += xt[i*p+j] * xt[i*p+j]
		}
		mu, sd := s1/n, math.Sqrt(s2/n-(s1/n)*(s1/n))
		if sd == 0 {
			sd = 1
		}
		for i := range yt {
			xt[i*p+j] = (xt[i*p+j] - mu) / sd
		}
		for i := range yv {
			xv[i*p+j] = (xv[i*p+j] - mu) / sd
		}
	}
	fit, err := glm.Fit(mat.NewDense(len(yt), p, xt), yt, nil, glm.DefaultOptions())
	if err != nil {
		opt := glm.DefaultOptions()
		opt.Firth = true
		if fit, err = glm.Fit(mat.NewDense(len(yt), p, xt), yt, nil, opt); err != nil {
			t.Fatal(err)
		}
	}
	score, err := fit.PredictLink(mat.NewDense(len(yv), p, xv))
	if err != nil {
		t.Fatal(err)
	}
	c, err := roc.Compute(yv, score)
	if err != nil {
		t.Fatal(err)
	}
	return c.AUC
}

// TestClinicalSignal checks §11's clinical target: the validation AUC of
// log CA125 + PI, averaged over 20 seeds, is in 0.62–0.74 (target 0.65–0.70).
func TestClinicalSignal(t *testing.T) {
	var sum float64
	const seeds = 20
	for seed := uint64(1); seed <= seeds; seed++ {
		c, err := Generate(Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		var X [][]float64
		var y []float64
		var tr []bool
		for _, p := range c.Patients {
			X = append(X, []float64{math.Log(p.CA125), float64(b2i(p.PosteriorInvolvement))})
			y = append(y, float64(b2i(p.Malignant)))
			tr = append(tr, p.Cohort == "train")
		}
		sum += validationAUC(t, X, y, tr)
	}
	m := sum / seeds
	t.Logf("clinical (log CA125 + PI) mean validation AUC over %d seeds: %.3f", seeds, m)
	if m < 0.62 || m > 0.74 {
		t.Errorf("clinical validation AUC %.3f outside 0.62–0.74", m)
	}
}

// imageProxies are simple in-mask statistics of a rendered CT.
func imageProxies(cs *Case) []float64 {
	var v []float64
	for i, m := range cs.Mask.Data {
		if m != 0 {
			v = append(v, cs.CT.Data[i])
		}
	}
	sort.Float64s(v)
	n := float64(len(v))
	var s1, s2 float64
	for _, x := range v {
		s1 += x
		s2 += x * x
	}
	mean := s1 / n
	sd := math.Sqrt(s2/n - mean*mean)
	q := func(p float64) float64 { return v[int(p*(n-1))] }
	med := q(0.5)
	var low, high float64
	for _, x := range v {
		if x < med-60 {
			low++
		}
		if x > med+150 {
			high++
		}
	}
	return []float64{mean, sd, med, q(0.1), q(0.9), low / n, high / n, n}
}

var proxyNames = []string{"mean", "sd", "median", "p10", "p90", "frac_low", "frac_high", "voxels"}

// TestImageSignal (set SYNTH_CALIB=<seeds>) renders full cohorts and
// reports the validation AUCs of single image proxies, of a logistic model
// on all proxies, of the clinical model and of the combination.
func TestImageSignal(t *testing.T) {
	ns := os.Getenv("SYNTH_CALIB")
	if ns == "" {
		t.Skip("set SYNTH_CALIB=<number of seeds> to run the calibration measurement")
	}
	seeds, _ := strconv.Atoi(ns)
	var aImg, aCli, aComb float64
	single := make([]float64, len(proxyNames))
	for seed := uint64(DefaultSeed); seed < DefaultSeed+uint64(seeds); seed++ {
		c, err := Generate(Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		n := len(c.Patients)
		px := make([][]float64, n)
		var wg sync.WaitGroup
		jobs := make(chan int)
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range jobs {
					cs, err := c.Render(c.Patients[i], false)
					if err != nil {
						t.Error(err)
						continue
					}
					px[i] = imageProxies(cs)
				}
			}()
		}
		for i := 0; i < n; i++ {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		var y []float64
		var tr []bool
		var Xi, Xc, Xb [][]float64
		for i, p := range c.Patients {
			y = append(y, float64(b2i(p.Malignant)))
			tr = append(tr, p.Cohort == "train")
			cl := []float64{math.Log(p.CA125), float64(b2i(p.PosteriorInvolvement))}
			Xi = append(Xi, px[i])
			Xc = append(Xc, cl)
			Xb = append(Xb, append(append([]float64(nil), px[i]...), cl...))
		}
		ai, ac, ab := validationAUC(t, Xi, y, tr), validationAUC(t, Xc, y, tr), validationAUC(t, Xb, y, tr)
		aImg, aCli, aComb = aImg+ai, aCli+ac, aComb+ab
		for k := range proxyNames {
			var sc []float64
			for i := range px {
				sc = append(sc, px[i][k])
			}
			cu, _ := roc.Compute(y, sc)
			single[k] += cu.AUC
		}
		t.Logf("seed %d: validation AUC image proxies %.3f, clinical %.3f, combined %.3f", seed, ai, ac, ab)
	}
	f := float64(seeds)
	t.Logf("mean over %d seeds: image proxies %.3f, clinical %.3f, combined %.3f", seeds, aImg/f, aCli/f, aComb/f)
	for k, nm := range proxyNames {
		t.Logf("single proxy %-9s all-case AUC %.3f", nm, single[k]/f)
	}
}
