package calibration

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

// Tolerances of the fixture README.
const (
	tolClosed = 1e-10 // closed-form results
	tolDist   = 1e-9  // p-values via distribution functions; lowess E*
	tolRecal  = 1e-6  // Intercept/Slope and U:Chi-sq on train, absolute
)

type fxHL struct {
	GUsed  int              `json:"g_used"`
	GReq   int              `json:"g_requested"`
	Breaks []rfixture.Float `json:"breaks"`
	Group  []int            `json:"group"`
	Table  struct {
		Group             []int            `json:"group"`
		Lower             []rfixture.Float `json:"lower"`
		Upper             []rfixture.Float `json:"upper"`
		N                 []int            `json:"n"`
		ObservedEvents    []rfixture.Float `json:"observed_events"`
		ExpectedEvents    []rfixture.Float `json:"expected_events"`
		ObservedNonevents []rfixture.Float `json:"observed_nonevents"`
		ExpectedNonevents []rfixture.Float `json:"expected_nonevents"`
		Contribution      []rfixture.Float `json:"contribution"`
	} `json:"table"`
	ChiSq rfixture.Float `json:"chisq"`
	DF    int            `json:"df"`
	P     rfixture.Float `json:"p_value"`
}

type fxBlock struct {
	Y       []float64                 `json:"y"`
	P       []float64                 `json:"p"`
	HL      fxHL                      `json:"hosmer_lemeshow"`
	ValProb map[string]rfixture.Float `json:"val_prob"`
}

// maxDev records the largest deviation per tolerance class.
var maxDev = map[float64]float64{}

func near(t *testing.T, what string, got float64, want rfixture.Float, tol float64, absolute bool) {
	t.Helper()
	w := float64(want)
	if math.IsNaN(w) || math.IsNaN(got) {
		if !(math.IsNaN(w) && math.IsNaN(got)) {
			t.Errorf("%s = %v, want %v", what, got, w)
		}
		return
	}
	d := math.Abs(got - w)
	if !absolute {
		d /= math.Max(1, math.Abs(w))
	}
	if d > maxDev[tol] {
		maxDev[tol] = d
	}
	if d > tol {
		t.Errorf("%s = %.17g, want %.17g (diff %.3g)", what, got, w, got-w)
	}
}

func loadCalibration(t *testing.T) map[string]map[string]*fxBlock {
	var fx struct {
		Train      map[string]*fxBlock `json:"train"`
		Validation map[string]*fxBlock `json:"validation"`
	}
	rfixture.Load(t, "04_calibration.json", &fx)
	if len(fx.Train) == 0 || len(fx.Validation) == 0 {
		t.Fatal("fixture has no blocks")
	}
	return map[string]map[string]*fxBlock{"train": fx.Train, "validation": fx.Validation}
}

func TestHosmerLemeshowFixture(t *testing.T) {
	for cohort, models := range loadCalibration(t) {
		for model, b := range models {
			name := cohort + "/" + model
			w := b.HL
			got, err := HosmerLemeshow(b.Y, b.P, w.GReq)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(got.Breaks) != len(w.Breaks) {
				t.Fatalf("%s: %d breaks, want %d", name, len(got.Breaks), len(w.Breaks))
			}
			for k := range w.Breaks {
				near(t, name+" break", got.Breaks[k], w.Breaks[k], tolClosed, false)
			}
			for i := range w.Group {
				if got.Group[i] != w.Group[i] {
					t.Errorf("%s: group[%d] = %d, want %d", name, i, got.Group[i], w.Group[i])
				}
			}
			if len(got.Table) != w.GUsed || len(got.Table) != len(w.Table.Group) {
				t.Fatalf("%s: %d groups, want %d", name, len(got.Table), w.GUsed)
			}
			for k, r := range got.Table {
				if r.Group != w.Table.Group[k] || r.N != w.Table.N[k] {
					t.Errorf("%s: group %d n %d, want %d n %d", name, r.Group, r.N, w.Table.Group[k], w.Table.N[k])
				}
				near(t, name+" lower", r.Lower, w.Table.Lower[k], tolClosed, false)
				near(t, name+" upper", r.Upper, w.Table.Upper[k], tolClosed, false)
				near(t, name+" O1", r.ObservedEvents, w.Table.ObservedEvents[k], tolClosed, false)
				near(t, name+" E1", r.ExpectedEvents, w.Table.ExpectedEvents[k], tolClosed, false)
				near(t, name+" O0", r.ObservedNonevents, w.Table.ObservedNonevents[k], tolClosed, false)
				near(t, name+" E0", r.ExpectedNonevents, w.Table.ExpectedNonevents[k], tolClosed, false)
				near(t, name+" contribution", r.Contribution, w.Table.Contribution[k], tolClosed, false)
			}
			near(t, name+" chisq", got.ChiSq, w.ChiSq, tolClosed, false)
			if got.DF != w.DF {
				t.Errorf("%s: df %d, want %d", name, got.DF, w.DF)
			}
			near(t, name+" p", got.P, w.P, tolDist, false)
		}
	}
	t.Logf("max rel deviation: closed-form %.3g, p-values %.3g", maxDev[tolClosed], maxDev[tolDist])
}

func TestValProbFixture(t *testing.T) {
	for cohort, models := range loadCalibration(t) {
		for model, b := range models {
			name := cohort + "/" + model
			got, err := ValProb(b.P, b.Y)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			vec := got.Vector()
			if len(b.ValProb) != len(ValProbNames) {
				t.Errorf("%s: fixture has %d entries, want %d", name, len(b.ValProb), len(ValProbNames))
			}
			for k, key := range ValProbNames {
				want, ok := b.ValProb[key]
				if !ok {
					t.Errorf("%s: fixture lacks %q", name, key)
					continue
				}
				tol, abs := tolClosed, false
				switch key {
				case "D:p", "U:p", "S:p", "Emax", "E90", "Eavg":
					tol = tolDist
				case "Intercept", "Slope":
					tol, abs = tolRecal, true
				case "U:Chi-sq", "U", "Q":
					if cohort == "train" {
						// In-sample recalibration of a glm fit: ~0 up to the
						// convergence noise of R's fit (README).
						tol, abs = tolRecal, true
					}
				}
				near(t, name+" "+key, vec[k], want, tol, abs)
			}
		}
	}
	t.Logf("max deviation: closed-form rel %.3g, dist/lowess rel %.3g, recalibration abs %.3g",
		maxDev[tolClosed], maxDev[tolDist], maxDev[tolRecal])
}

func TestPlotMatchesHL(t *testing.T) {
	for cohort, models := range loadCalibration(t) {
		for model, b := range models {
			pd, err := CalibrationPlot(b.P, b.Y, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(pd.Groups) != b.HL.GUsed {
				t.Fatalf("%s/%s: %d plot groups, want %d", cohort, model, len(pd.Groups), b.HL.GUsed)
			}
			for k, g := range pd.Groups {
				n := float64(b.HL.Table.N[k])
				near(t, "observed", g.Observed, b.HL.Table.ObservedEvents[k]/rfixture.Float(n), tolClosed, false)
				near(t, "mean p", g.MeanPredicted, b.HL.Table.ExpectedEvents[k]/rfixture.Float(n), tolClosed, false)
				if !(g.ObservedLower <= g.Observed && g.Observed <= g.ObservedUpper) {
					t.Errorf("Wilson interval [%v, %v] excludes %v", g.ObservedLower, g.ObservedUpper, g.Observed)
				}
			}
			if len(pd.SmoothX) != len(b.P) || !sort.Float64sAreSorted(pd.SmoothX) {
				t.Errorf("smooth curve not sorted or wrong length")
			}
		}
	}
}

// naiveLowess is an independent, direct (O(n²), no delta skipping,
// iter = 0) implementation of the lowess definition used by clowess:
// tricube weights on the window of the ns nearest neighbours (extended by
// ties), local linear fit. With delta = 0 and distinct x, clowess must agree.
func naiveLowess(x, y []float64, f float64) []float64 {
	n := len(x)
	ns := max(2, min(n, int(f*float64(n)+1e-7)))
	out := make([]float64, n)
	for i := range x {
		d := make([]float64, n)
		for j := range x {
			d[j] = math.Abs(x[j] - x[i])
		}
		s := append([]float64(nil), d...)
		sort.Float64s(s)
		h := s[ns-1]
		var sw, swx, swy, swxx, swxy float64
		for j := range x {
			r := d[j]
			var w float64
			switch {
			case r <= 0.001*h:
				w = 1
			case r <= 0.999*h:
				q := r / h
				q = 1 - q*q*q
				w = q * q * q
			}
			sw += w
			swx += w * x[j]
			swy += w * y[j]
			swxx += w * x[j] * x[j]
			swxy += w * x[j] * y[j]
		}
		mx, my := swx/sw, swy/sw
		vxx := swxx/sw - mx*mx
		vxy := swxy/sw - mx*my
		out[i] = my + vxy/vxx*(x[i]-mx)
	}
	return out
}

func TestLowessAgainstDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	n := 40
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = float64(i) + 0.5*r.Float64()
		y[i] = math.Sin(x[i]/5) + 0.3*r.NormFloat64()
	}
	// Shuffle so that Lowess has to sort.
	r.Shuffle(n, func(i, j int) { x[i], x[j] = x[j], x[i]; y[i], y[j] = y[j], y[i] })
	xs, ys, err := Lowess(x, y, 2.0/3, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	o := make([]int, n)
	for i := range o {
		o[i] = i
	}
	sort.Slice(o, func(a, b int) bool { return x[o[a]] < x[o[b]] })
	sx := make([]float64, n)
	sy := make([]float64, n)
	for k, i := range o {
		sx[k], sy[k] = x[i], y[i]
	}
	want := naiveLowess(sx, sy, 2.0/3)
	for k := range want {
		if xs[k] != sx[k] || math.Abs(ys[k]-want[k]) > 1e-10 {
			t.Errorf("lowess[%d] = (%v, %v), want (%v, %v)", k, xs[k], ys[k], sx[k], want[k])
		}
	}
	// Straight line is reproduced exactly (local linear fit), with delta
	// interpolation too.
	for i := range y {
		y[i] = 2*x[i] - 1
	}
	_, ys, _ = Lowess(x, y, 2.0/3, 0, 0.01*40)
	for k := range ys {
		if math.Abs(ys[k]-(2*xs[k]-1)) > 1e-9 {
			t.Errorf("line: ys[%d] = %v, want %v", k, ys[k], 2*xs[k]-1)
		}
	}
}

func TestQuantile7(t *testing.T) {
	x := []float64{1, 2, 3, 4, 10}
	cases := []struct{ p, want float64 }{{0, 1}, {1, 10}, {0.5, 3}, {0.9, 7.6}, {0.1, 1.4}, {0.25, 2}}
	for _, c := range cases {
		if got := quantile7(x, c.p); math.Abs(got-c.want) > 1e-14 {
			t.Errorf("quantile7(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestBinnedConcordance(t *testing.T) {
	// Events at 0.9, 0.30001; non-events at 0.3, 0.1: int(5000q+1) puts 0.3
	// and 0.30001 in the same bin (1501), so that pair is a tie.
	c, dxy := binnedConcordance([]float64{0.9, 0.30001, 0.3, 0.1}, []float64{1, 1, 0, 0})
	if c != 3.5/4 || dxy != 3.0/4 {
		t.Errorf("C, Dxy = %v, %v; want 0.875, 0.75", c, dxy)
	}
}

func TestBadInput(t *testing.T) {
	good := []float64{0.2, 0.4, 0.6, 0.8}
	yy := []float64{0, 1, 0, 1}
	cases := []struct {
		name string
		p, y []float64
	}{
		{"mismatched", good, yy[:3]},
		{"single class", good, []float64{1, 1, 1, 1}},
		{"NaN p", []float64{0.2, math.NaN(), 0.6, 0.8}, yy},
		{"p = 0", []float64{0, 0.4, 0.6, 0.8}, yy},
		{"p = 1", []float64{0.2, 0.4, 0.6, 1}, yy},
		{"bad y", good, []float64{0, 1, 2, 1}},
		{"empty", nil, nil},
	}
	for _, c := range cases {
		if _, err := ValProb(c.p, c.y); err == nil {
			t.Errorf("ValProb %s: no error", c.name)
		}
		if _, err := HosmerLemeshow(c.y, c.p, 10); err == nil {
			t.Errorf("HosmerLemeshow %s: no error", c.name)
		}
	}
	if _, err := HosmerLemeshow(yy, good, 1); err == nil {
		t.Error("g = 1: no error")
	}
}

// simulated returns n outcomes drawn from the true risk plogis(a + b x) and
// the covariate x.
func simulated(n int, seed uint64) (y, x []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	y, x = make([]float64, n), make([]float64, n)
	for i := range y {
		x[i] = r.NormFloat64()
		if r.Float64() < 1/(1+math.Exp(-(-0.3+1.5*x[i]))) {
			y[i] = 1
		}
	}
	return y, x
}

// logisticRefit returns a Refit that fits logit P = b0 + b1 x on the
// resample (lrmFit2 run to convergence) and predicts all rows.
func logisticRefit(y, x []float64) Refit {
	return func(rows []int) ([]float64, error) {
		xs := make([]float64, len(rows))
		ys := make([]float64, len(rows))
		for i, r := range rows {
			xs[i], ys[i] = x[r], y[r]
		}
		b0, b1, _, err := lrmFit2(xs, ys)
		if err != nil {
			return nil, err
		}
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = 1 / (1 + math.Exp(-(b0 + b1*v)))
		}
		return out, nil
	}
}

func TestBootstrapCalibrate(t *testing.T) {
	y, x := simulated(400, 9)
	refit := logisticRefit(y, x)
	all := make([]int, len(y))
	for i := range all {
		all[i] = i
	}
	p, err := refit(all)
	if err != nil {
		t.Fatal(err)
	}
	// B = 0: apparent curve only, optimism undefined (R: 0/0 = NaN).
	c0, err := BootstrapCalibrate(y, p, refit, BootstrapOptions{B: 0, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sorted := append([]float64(nil), p...)
	sort.Float64s(sorted)
	if len(c0.Predy) != 50 || c0.Predy[0] != sorted[4] || c0.Predy[49] != sorted[len(p)-5] {
		t.Errorf("grid: %d points from %v to %v", len(c0.Predy), c0.Predy[0], c0.Predy[len(c0.Predy)-1])
	}
	for k := range c0.Predy {
		if c0.N[k] != 0 || !math.IsNaN(c0.Optimism[k]) || math.IsNaN(c0.Apparent[k]) {
			t.Fatalf("B=0 point %d: N %d optimism %v apparent %v", k, c0.N[k], c0.Optimism[k], c0.Apparent[k])
		}
	}
	// The apparent curve equals the lowess curve of (p, y) read at the grid.
	xs, ys, _ := lowessDefault(p, y)
	want := approxTies(xs, ys, c0.Predy, false)
	for k := range want {
		if c0.Apparent[k] != want[k] {
			t.Errorf("apparent[%d] = %v, want %v", k, c0.Apparent[k], want[k])
		}
	}

	c1, err := BootstrapCalibrate(y, p, refit, BootstrapOptions{B: 60, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := BootstrapCalibrate(y, p, refit, BootstrapOptions{B: 60, Seed: 42})
	c3, _ := BootstrapCalibrate(y, p, refit, BootstrapOptions{B: 60, Seed: 43})
	same := true
	for k := range c1.Predy {
		if c1.Corrected[k] != c2.Corrected[k] {
			t.Fatalf("not deterministic at %d: %v vs %v", k, c1.Corrected[k], c2.Corrected[k])
		}
		same = same && c1.Corrected[k] == c3.Corrected[k]
		if c1.N[k] == 0 {
			continue
		}
		// The correctly specified model is nearly calibrated and its
		// optimism is small (2-parameter model, n = 400).
		if math.Abs(c1.Corrected[k]-c1.Predy[k]) > 0.12 {
			t.Errorf("corrected[%d] = %v far from identity %v", k, c1.Corrected[k], c1.Predy[k])
		}
		if math.Abs(c1.Optimism[k]) > 0.05 {
			t.Errorf("optimism[%d] = %v", k, c1.Optimism[k])
		}
		if c1.Apparent[k] < 0 || c1.Apparent[k] > 1 {
			t.Errorf("apparent[%d] = %v outside [0, 1]", k, c1.Apparent[k])
		}
	}
	if same {
		t.Error("different seeds gave the same curve")
	}
	if c1.Failed != 0 || c1.MeanAbsError > 0.05 || math.IsNaN(c1.MeanAbsError) {
		t.Errorf("failed %d, mean |error| %v", c1.Failed, c1.MeanAbsError)
	}

	// An overfitted model (noise covariates memorised) must show optimism:
	// predictions that are perfectly sharp on the training rows.
	memo := func(rows []int) ([]float64, error) {
		in := make([]bool, len(y))
		for _, r := range rows {
			in[r] = true
		}
		out := make([]float64, len(y))
		for i := range out {
			switch {
			case in[i] && y[i] == 1:
				out[i] = 0.9
			case in[i]:
				out[i] = 0.1
			default:
				out[i] = 0.5
			}
		}
		return out, nil
	}
	c4, err := BootstrapCalibrate(y, p, memo, BootstrapOptions{B: 20, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	pos := 0
	for k := range c4.Optimism {
		if c4.N[k] > 0 && c4.Optimism[k] != 0 {
			pos++
		}
	}
	if pos == 0 {
		t.Error("memorising model shows no optimism")
	}
	// Failing refits are counted and skipped.
	fail := func(rows []int) ([]float64, error) { return nil, errSentinel }
	c5, err := BootstrapCalibrate(y, p, fail, BootstrapOptions{B: 5, Seed: 1})
	if err != nil || c5.Failed != 5 {
		t.Errorf("failing refit: err %v, failed %d", err, c5.Failed)
	}
	if _, err := BootstrapCalibrate(y[:10], p[:10], refit, BootstrapOptions{B: 5}); err == nil {
		t.Error("n = 10: no error")
	}
}

var errSentinel = errorString("refit failed")

type errorString string

func (e errorString) Error() string { return string(e) }

func BenchmarkValProb(b *testing.B) {
	y, x := simulated(1000, 1)
	p := make([]float64, len(x))
	for i, v := range x {
		p[i] = 1 / (1 + math.Exp(-(-0.3 + 1.4*v)))
	}
	for b.Loop() {
		if _, err := ValProb(p, y); err != nil {
			b.Fatal(err)
		}
	}
}
