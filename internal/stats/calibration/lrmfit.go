package calibration

import (
	"errors"
	"math"
)

// lprob is rms' Fortran lprob: plogis of the linear predictor clamped to
// [-30, 30].
func lprob(b float64) float64 {
	return 1 / (1 + math.Exp(-math.Min(math.Max(b, -30), 30)))
}

// llogit2 evaluates, for the binary logistic model logit P(y=1) = b0 + b1*x
// at beta, rms' -2 log-likelihood and its score vector and information
// matrix (rms' LLOGIT, kint = 1, unit weights, no penalty). dvrg reports a
// fitted probability of exactly 0 or 1 at an observed outcome.
func llogit2(x, y []float64, b0, b1 float64) (ll float64, u [2]float64, v [3]float64, dvrg bool) {
	for i, xi := range x {
		bx := b0 + float64(b1*xi)
		p := lprob(bx)
		var dy float64
		if y[i] == 0 {
			if p >= 1 {
				return 0, u, v, true
			}
			ll += math.Log(1 - p)
		} else {
			if p <= 0 {
				return 0, u, v, true
			}
			ll += math.Log(p)
			dy = 1
		}
		w := p * (1 - p)
		r := dy - p
		u[0] += r
		u[1] += r * xi
		v[0] += w
		v[1] += w * xi
		v[2] += float64(w*xi) * xi
	}
	return -2 * ll, u, v, false
}

// lrmFit2 fits logit P(y=1) = b0 + b1*x by rms' lrm.fit Newton-Raphson
// (rms 6.5 Fortran LRMFIT with its defaults maxit = 12, eps = 0.025): start at
// b0 = qlogis(mean(y)), b1 = 0; at each iteration evaluate -2LL, stop when
// max|score| < 1e-9 and the -2LL change < 0.0025; step-halve when -2LL rose;
// otherwise take the Newton step and stop once the -2LL change between the
// last two evaluations is <= 0.025 (so the returned estimate is one Newton
// step past that point). dev is -2LL at the returned estimate
// (lrm.fit's deviance[2]).
func lrmFit2(x, y []float64) (b0, b1, dev float64, err error) {
	const (
		maxit = 12
		dlike = 0.025
	)
	n1 := 0.0
	for _, v := range y {
		n1 += v
	}
	pp := n1 / float64(len(y))
	b0 = math.Log(pp / (1 - pp))
	oldl := 1e30
	curstp := 1.0
	var d [2]float64
	converged := false
	for iter := 1; iter <= maxit-1; iter++ {
		ll, u, v, dvrg := llogit2(x, y, b0, b1)
		dmax := math.Max(math.Abs(u[0]), math.Abs(u[1]))
		if dmax < 1e-9 && math.Abs(ll-oldl) < 0.1*dlike {
			converged = true
			break
		}
		if ll > oldl || dvrg {
			if iter == 1 {
				return 0, 0, 0, errors.New("calibration: logistic recalibration diverged at its start")
			}
			curstp /= 2
			b0 -= curstp * d[0]
			b1 -= curstp * d[1]
			continue
		}
		curstp = 1
		det := v[0]*v[2] - v[1]*v[1]
		if !(det > 0) {
			return 0, 0, 0, errors.New("calibration: singular information matrix in the logistic recalibration")
		}
		d[0] = (v[2]*u[0] - v[1]*u[1]) / det
		d[1] = (v[0]*u[1] - v[1]*u[0]) / det
		b0 += d[0]
		b1 += d[1]
		if math.Abs(oldl-ll) <= dlike {
			converged = true
			break
		}
		oldl = ll
	}
	if !converged {
		return 0, 0, 0, errors.New("calibration: logistic recalibration did not converge in 12 iterations")
	}
	dev, _, _, dvrg := llogit2(x, y, b0, b1)
	if dvrg {
		return 0, 0, 0, errors.New("calibration: logistic recalibration diverged")
	}
	return b0, b1, dev, nil
}

// binnedConcordance is rms' gcorr on the 5001-bin table of lrm.fit: each
// probability q is binned as int(5000*q + 1); C = (concordant + ties/2) /
// pairs and Dxy = (concordant - discordant) / pairs over (event,
// non-event) pairs, ties being pairs in the same bin.
func binnedConcordance(q, y []float64) (c, dxy float64) {
	var f0, f1 [5002]float64
	n1 := 0.0
	for i, v := range q {
		b := int(5000*v + 1)
		b = min(max(b, 1), 5001)
		if y[i] == 1 {
			f1[b]++
			n1++
		} else {
			f0[b]++
		}
	}
	// For each non-event bin j: events in higher bins are concordant, in
	// the same bin tied, in lower bins discordant.
	var con, dis, tie float64
	above := n1
	for j := 1; j <= 5001; j++ {
		above -= f1[j]
		if k := f0[j]; k > 0 {
			con += k * above
			tie += k * f1[j]
			dis += k * (n1 - above - f1[j])
		}
	}
	fn := con + dis + tie
	return (con + tie*0.5) / fn, (con - dis) / fn
}
