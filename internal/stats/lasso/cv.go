package lasso

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// CVOptions controls CV.
type CVOptions struct {
	// Path holds the glmnet options used for the full-data fit and every
	// fold fit (each fold on its own default lambda sequence).
	Path PathOptions
	// FoldID assigns each row to a fold 1..K (cv.glmnet's foldid). When
	// nil, a stratified assignment is drawn with Seed.
	FoldID []int
	// NFolds is the number of folds when FoldID is nil (default 10, as
	// cv.glmnet).
	NFolds int
	// Seed seeds the stratified fold assignment (PCG).
	Seed uint64
}

// DefaultCVOptions returns glmnet's path defaults with 10 folds.
func DefaultCVOptions() CVOptions {
	return CVOptions{Path: DefaultPathOptions(), NFolds: 10}
}

// Coefficients is a model at one lambda (coef.cv.glmnet).
type Coefficients struct {
	Lambda    float64
	Index     int       // 0-based position in the full-data lambda sequence
	Intercept float64   // original scale
	Beta      []float64 // all features, original scale
	Selected  []int     // indices of the nonzero features (may be empty)
}

// CVMeasure is the cross-validated curve of one type.measure.
type CVMeasure struct {
	Name string // "deviance" or "auc"
	// FoldMeasure[k][j] is fold k's mean deviance (or AUC) at Lambda[j].
	FoldMeasure [][]float64
	CVM         []float64 // fold-size-weighted mean of FoldMeasure
	CVSD        []float64 // sqrt(weighted variance / (K - 1))
	CVUp, CVLo  []float64
	LambdaMin   float64
	Lambda1SE   float64
	IndexMin    int // 0-based
	Index1SE    int // 0-based
	AtMin       Coefficients
	At1SE       Coefficients
}

// CVResult is cv.glmnet's answer for both type.measure = "deviance" and
// "auc", computed from the same fold fits.
type CVResult struct {
	Lambda   []float64 // the full-data lambda sequence
	NZero    []int
	Fit      *PathResult   // the full-data path
	Folds    []*PathResult // fold k fitted without the rows of fold k+1
	FoldID   []int
	FoldSize []int
	// FitPreval[i][j] is the out-of-fold linear predictor of row i at
	// Lambda[j] (cv.glmnet's fit.preval).
	FitPreval [][]float64
	Deviance  CVMeasure
	AUC       CVMeasure
	// Warnings lists conditions cv.glmnet would warn about.
	Warnings []string
}

// StratifiedFolds assigns n rows with 0/1 outcome y to k folds (1..k),
// shuffling each class with a PCG generator seeded by seed and dealing its
// rows round-robin, so that every fold has nearly the same number of
// events.
func StratifiedFolds(y []float64, k int, seed uint64) ([]int, error) {
	if k < 2 || k > len(y) {
		return nil, fmt.Errorf("lasso: %d folds for %d rows", k, len(y))
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	fold := make([]int, len(y))
	next := 0
	for _, cls := range []float64{0, 1} {
		var idx []int
		for i, v := range y {
			if v == cls {
				idx = append(idx, i)
			}
		}
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		for _, i := range idx {
			fold[i] = next%k + 1
			next++
		}
	}
	return fold, nil
}

// CV cross-validates the LASSO logistic path, matching
// cv.glmnet(x, y, family = "binomial", alpha = 1, standardize = TRUE,
// foldid = FoldID, type.measure = "deviance" and "auc") of glmnet 4.1-6:
//   - the full data are fitted with Path; each fold's training rows are
//     fitted on their OWN default lambda sequence;
//   - the held-out rows are predicted at the full-data lambdas by linear
//     interpolation of the fold coefficients in lambda (predict.glmnet
//     with s =, clamped to the fold's lambda range);
//   - deviance: per-row -2[y log p + (1-y) log(1-p)] with p clamped to
//     [1e-5, 1 - 1e-5], averaged within each fold; AUC: the within-fold
//     concordance with ties counted 1/2;
//   - cvm is the fold-size-weighted mean of the fold values and cvsd =
//     sqrt(weighted mean of squared deviations / (K - 1));
//   - lambda.min is the largest lambda attaining the best cvm (minimum
//     deviance, maximum AUC) and lambda.1se the largest lambda whose cvm is
//     within one cvsd (at lambda.min) of it (getOptcv.glmnet).
func CV(X *mat.Dense, y []float64, opt CVOptions) (*CVResult, error) {
	if err := checkInputs(X, y); err != nil {
		return nil, err
	}
	n, _ := X.Dims()
	foldid := opt.FoldID
	if foldid == nil {
		k := opt.NFolds
		if k == 0 {
			k = 10
		}
		var err error
		foldid, err = StratifiedFolds(y, k, opt.Seed)
		if err != nil {
			return nil, err
		}
	}
	if len(foldid) != n {
		return nil, fmt.Errorf("lasso: %d fold ids for %d rows", len(foldid), n)
	}
	K := 0
	for _, f := range foldid {
		if f < 1 {
			return nil, errors.New("lasso: fold ids must be 1..K")
		}
		K = max(K, f)
	}
	if K < 3 {
		return nil, errors.New("lasso: cv.glmnet needs at least 3 folds")
	}
	sizes := make([]int, K)
	for _, f := range foldid {
		sizes[f-1]++
	}
	for k, s := range sizes {
		if s == 0 {
			return nil, fmt.Errorf("lasso: fold %d is empty", k+1)
		}
	}
	// The full-data path and the fold paths are independent: fit them
	// concurrently (the results do not depend on scheduling).
	paths := make([]*PathResult, K+1)
	errs := make([]error, K+1)
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for k := -1; k < K; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if k < 0 {
				paths[K], errs[K] = Path(X, y, opt.Path)
				return
			}
			paths[k], errs[k] = fitFold(X, y, foldid, k, opt.Path)
		}(k)
	}
	wg.Wait()
	if errs[K] != nil {
		return nil, errs[K]
	}
	for k := 0; k < K; k++ {
		if errs[k] != nil {
			return nil, fmt.Errorf("lasso: fold %d: %w", k+1, errs[k])
		}
	}
	full := paths[K]
	res := &CVResult{Lambda: full.Lambda, Fit: full, FoldID: foldid, FoldSize: sizes, Folds: paths[:K]}
	res.NZero = append([]int(nil), full.Df...)
	nl := len(full.Lambda)
	res.FitPreval = make([][]float64, n)
	for i := range res.FitPreval {
		res.FitPreval[i] = make([]float64, nl)
	}
	for k := 0; k < K; k++ {
		res.predictFold(X, k)
	}
	if float64(n)/float64(K) < 10 {
		res.Warnings = append(res.Warnings, "fewer than 10 observations per fold: cv.glmnet would switch type.measure = \"auc\" to \"deviance\"")
	}
	res.Deviance = res.measure("deviance", X, y, K)
	res.AUC = res.measure("auc", X, y, K)
	return res, nil
}

// fitFold fits the path on the rows outside fold k (0-based).
func fitFold(X *mat.Dense, y []float64, foldid []int, k int, opt PathOptions) (*PathResult, error) {
	_, p := X.Dims()
	var tr []int
	for i, f := range foldid {
		if f != k+1 {
			tr = append(tr, i)
		}
	}
	Xk := mat.NewDense(len(tr), p, nil)
	yk := make([]float64, len(tr))
	for row, i := range tr {
		Xk.SetRow(row, X.RawRowView(i))
		yk[row] = y[i]
	}
	return Path(Xk, yk, opt)
}

// predictFold fills the rows of fold k (0-based) of FitPreval with the
// fold path's predictions at the full-data lambdas.
func (r *CVResult) predictFold(X *mat.Dense, k int) {
	fk := r.Folds[k]
	var te []int
	for i, f := range r.FoldID {
		if f == k+1 {
			te = append(te, i)
		}
	}
	nz := make([]int, 0, len(fk.XMean))
	for j, s := range r.Lambda {
		a0, beta := fk.Coef(s)
		nz = nz[:0]
		for c, b := range beta {
			if b != 0 {
				nz = append(nz, c)
			}
		}
		for _, i := range te {
			e := a0
			row := X.RawRowView(i)
			for _, c := range nz {
				e += row[c] * beta[c]
			}
			r.FitPreval[i][j] = e
		}
	}
}

// measure computes one CV curve and its optimal lambdas.
func (r *CVResult) measure(name string, X *mat.Dense, y []float64, K int) CVMeasure {
	nl := len(r.Lambda)
	m := CVMeasure{Name: name}
	m.FoldMeasure = make([][]float64, K)
	prob := make([]float64, 0, len(y))
	ys := make([]float64, 0, len(y))
	for k := 0; k < K; k++ {
		m.FoldMeasure[k] = make([]float64, nl)
		for j := 0; j < nl; j++ {
			prob = prob[:0]
			ys = ys[:0]
			for i, f := range r.FoldID {
				if f == k+1 {
					prob = append(prob, 1/(1+math.Exp(-r.FitPreval[i][j])))
					ys = append(ys, y[i])
				}
			}
			if name == "auc" {
				m.FoldMeasure[k][j] = AUC(ys, prob)
			} else {
				s := 0.0
				for i, pi := range prob {
					pc := math.Min(math.Max(pi, 1e-5), 1-1e-5)
					s += 2 * -(ys[i]*math.Log(pc) + (1-ys[i])*math.Log(1-pc))
				}
				m.FoldMeasure[k][j] = s / float64(len(prob))
			}
		}
	}
	m.CVM = make([]float64, nl)
	m.CVSD = make([]float64, nl)
	m.CVUp = make([]float64, nl)
	m.CVLo = make([]float64, nl)
	sw := 0.0
	for _, s := range r.FoldSize {
		sw += float64(s)
	}
	for j := 0; j < nl; j++ {
		t := 0.0
		for k := 0; k < K; k++ {
			t += m.FoldMeasure[k][j] * float64(r.FoldSize[k])
		}
		cvm := t / sw
		v := 0.0
		for k := 0; k < K; k++ {
			d := m.FoldMeasure[k][j] - cvm
			v += d * d * float64(r.FoldSize[k])
		}
		m.CVM[j] = cvm
		m.CVSD[j] = math.Sqrt(v / sw / float64(K-1))
		m.CVUp[j] = cvm + m.CVSD[j]
		m.CVLo[j] = cvm - m.CVSD[j]
	}
	sign := 1.0
	if name == "auc" {
		sign = -1
	}
	best := math.Inf(1)
	for j := 0; j < nl; j++ {
		best = math.Min(best, sign*m.CVM[j])
	}
	// Largest lambda attaining the best value (lambda decreases along j).
	m.IndexMin = -1
	for j := 0; j < nl; j++ {
		if sign*m.CVM[j] <= best {
			m.IndexMin = j
			break
		}
	}
	semin := sign*m.CVM[m.IndexMin] + m.CVSD[m.IndexMin]
	for j := 0; j < nl; j++ {
		if sign*m.CVM[j] <= semin {
			m.Index1SE = j
			break
		}
	}
	m.LambdaMin = r.Lambda[m.IndexMin]
	m.Lambda1SE = r.Lambda[m.Index1SE]
	m.AtMin = r.coefAt(m.IndexMin)
	m.At1SE = r.coefAt(m.Index1SE)
	return m
}

// coefAt returns the full-data model at lambda index j.
func (r *CVResult) coefAt(j int) Coefficients {
	a0, beta := r.Fit.Coef(r.Lambda[j])
	c := Coefficients{Lambda: r.Lambda[j], Index: j, Intercept: a0, Beta: beta, Selected: []int{}}
	for i, b := range beta {
		if b != 0 {
			c.Selected = append(c.Selected, i)
		}
	}
	return c
}

// AUC returns the concordance of predictions p with 0/1 outcomes y: the
// fraction of (event, non-event) pairs in which the event has the higher
// prediction, ties counted 1/2 (survival::concordance as glmnet's auc).
// It is NaN when a class is absent.
func AUC(y, p []float64) float64 {
	type pair struct {
		p float64
		y float64
	}
	v := make([]pair, len(y))
	n1, n0 := 0.0, 0.0
	for i := range y {
		v[i] = pair{p[i], y[i]}
		if y[i] == 1 {
			n1++
		} else {
			n0++
		}
	}
	if n1 == 0 || n0 == 0 {
		return math.NaN()
	}
	sort.Slice(v, func(a, b int) bool { return v[a].p < v[b].p })
	// Sum over events of (#controls below + 1/2 #controls tied).
	conc := 0.0
	below := 0.0
	for i := 0; i < len(v); {
		j := i
		c0, c1 := 0.0, 0.0
		for j < len(v) && v[j].p == v[i].p {
			if v[j].y == 1 {
				c1++
			} else {
				c0++
			}
			j++
		}
		conc += c1 * (below + 0.5*c0)
		below += c0
		i = j
	}
	return conc / (n1 * n0)
}
