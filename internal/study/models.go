package study

import (
	"errors"
	"fmt"
	"math"

	"github.com/spinerad/spinerad/internal/stats/glm"
	"gonum.org/v1/gonum/mat"
)

// Model is one of the study's three prediction models.
type Model struct {
	// Name is clinical, radiomics or combined.
	Name string
	// Terms are the predictors (the intercept is Coef[0]).
	Terms []string
	Coef  []float64
	// Fit is the logistic fit on the training rows (nil for the radiomics
	// model, which is plogis(rad-score) with no refit, as in the paper).
	Fit *glm.Result
	// Score is the model's score per row used for ROC analysis: the
	// probability, or the rad-score for the radiomics model (monotone in its
	// probability, so AUC, DeLong and classifications are the same).
	Score []float64
	// Prob is the predicted probability per row (NaN where a predictor is missing).
	Prob []float64
	// ScoreScale names the scale of Score and of the threshold.
	ScoreScale string
	// Threshold is the Youden-optimal threshold of the training ROC (on the
	// ScoreScale; the lowest of tied thresholds).
	Threshold float64
}

// designMatrix builds the n x p matrix of the named columns for rows,
// dropping rows with a missing value (R's na.omit); it returns the rows used.
func designMatrix(cols []Column, rows []int) (*mat.Dense, []int) {
	var used []int
	for _, i := range rows {
		ok := true
		for _, c := range cols {
			if math.IsNaN(c.Values[i]) {
				ok = false
				break
			}
		}
		if ok {
			used = append(used, i)
		}
	}
	if len(used) == 0 {
		return nil, nil
	}
	x := mat.NewDense(len(used), len(cols), nil)
	for r, i := range used {
		for j, c := range cols {
			x.Set(r, j, c.Values[i])
		}
	}
	return x, used
}

// fitMethod chooses how fitLogisticWith estimates a logistic model.
type fitMethod int

const (
	// mleOrFirth: maximum likelihood, Firth's penalised likelihood (with a
	// warning) when the MLE does not exist because of separation.
	mleOrFirth fitMethod = iota
	// mleOnly: maximum likelihood; separation is an error.
	mleOnly
	// firthOnly: Firth's penalised likelihood (logistf).
	firthOnly
)

// fitLogistic fits y ~ cols on rows (complete cases) with R's glm defaults,
// falling back to Firth's penalised likelihood on separation.
func fitLogistic(cols []Column, y []float64, rows []int) (*glm.Result, []int, error) {
	return fitLogisticWith(cols, y, rows, mleOrFirth)
}

// fitLogisticWith fits y ~ cols on rows (complete cases) with the method m.
func fitLogisticWith(cols []Column, y []float64, rows []int, m fitMethod) (*glm.Result, []int, error) {
	x, used := designMatrix(cols, rows)
	if x == nil {
		return nil, nil, fmt.Errorf("no complete rows")
	}
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = c.Name
	}
	opt := glm.DefaultOptions()
	opt.Firth = m == firthOnly
	res, err := glm.Fit(x, pick(y, used), names, opt)
	if m == mleOrFirth && errors.Is(err, glm.ErrSeparation) {
		// Separation: the maximum-likelihood estimate does not exist. Fall
		// back to Firth's penalised likelihood (logistf), which always has a
		// finite estimate, and say so.
		opt.Firth = true
		res, err = glm.Fit(x, pick(y, used), names, opt)
		if err == nil {
			res.Warnings = append(res.Warnings, "complete or quasi-complete separation: Firth-penalised logistic regression used instead of the maximum-likelihood fit")
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return res, used, nil
}

// predict returns the probability and linear predictor of a fit for every
// row (NaN where a predictor is missing).
func predict(fit *glm.Result, cols []Column, n int) (prob, link []float64) {
	prob = make([]float64, n)
	link = make([]float64, n)
	for i := 0; i < n; i++ {
		eta := fit.Coef[0]
		for j, c := range cols {
			eta += fit.Coef[j+1] * c.Values[i]
		}
		link[i] = eta
		prob[i] = linkinv(eta)
	}
	return prob, link
}

// plogis is the logistic function as R's plogis computes it: 1/(1+exp(-x)).
func plogis(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// linkinv is binomial()$linkinv of R (C logit_linkinv), which
// predict.glm(type = "response") uses: exp(eta)/(1+exp(eta)) with eta
// clamped to [-30, 30] through DBL_EPSILON and 1/DBL_EPSILON.
func linkinv(eta float64) float64 {
	const eps = 2.220446049250313e-16
	var t float64
	switch {
	case eta < -30:
		t = eps
	case eta > 30:
		t = 1 / eps
	default:
		t = math.Exp(eta)
	}
	return t / (1 + t)
}
