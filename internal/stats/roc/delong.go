package roc

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Test is the result of DeLong's comparison of two AUCs, as pROC's
// roc.test(roc1, roc2, method = "delong") reports it (two-sided).
type Test struct {
	// Method is pROC's method string.
	Method string
	// Paired tells which test ran.
	Paired bool
	// Statistic is Z for the paired test and D for the unpaired one.
	Statistic float64
	// DF is the Welch-Satterthwaite degrees of freedom of the unpaired test
	// (NaN for the paired test).
	DF float64
	// P is the two-sided p-value: 2*pnorm(-|Z|) (paired) or
	// 2*pt(-|D|, DF) (unpaired).
	P float64
	// AUC1 and AUC2 are the two AUCs.
	AUC1, AUC2 float64
	// DiffCILower and DiffCIUpper form the 95% CI of AUC1 - AUC2 of the
	// paired test, d -/+ qnorm(0.975)*sd (NaN for the unpaired test, for
	// which pROC gives none).
	DiffCILower, DiffCIUpper float64
	// Curve1 and Curve2 are the two ROC curves.
	Curve1, Curve2 *Curve
}

// DeLongPaired compares the AUCs of two scores a and b measured on the same
// patients (outcome y, 0/1) with DeLong's test for correlated ROC curves, as
// pROC's roc.test(roc1, roc2, method = "delong", paired = TRUE):
// S = S10/m + S01/n with S10, S01 the 2x2 covariance matrices (divisor
// m-1, n-1) of the case and control placements of the two curves,
// sd = sqrt(S11 + S22 - 2 S12), Z = (AUC1 - AUC2)/sd (0 when both the
// difference and sd are 0), p = 2*pnorm(-|Z|), and CI = d -/+ 1.96 sd.
func DeLongPaired(y, a, b []float64) (Test, error) {
	if len(a) != len(b) {
		return Test{}, fmt.Errorf("roc: paired scores have lengths %d and %d", len(a), len(b))
	}
	c1, err := Compute(y, a)
	if err != nil {
		return Test{}, err
	}
	c2, err := Compute(y, b)
	if err != nil {
		return Test{}, err
	}
	return PairedCurves(c1, c2)
}

// PairedCurves runs DeLong's paired test on two curves computed from the same
// outcome vector (same cases and controls in the same order), see
// DeLongPaired.
func PairedCurves(c1, c2 *Curve) (Test, error) {
	m, n := c1.NCases, c1.NControls
	if c2.NCases != m || c2.NControls != n {
		return Test{}, errors.New("roc: paired curves must share their cases and controls")
	}
	if m < 2 || n < 2 {
		return Test{}, errors.New("roc: DeLong's test needs at least 2 cases and 2 controls")
	}
	t1, t2 := c1.AUC, c2.AUC
	fm, fn := float64(m-1), float64(n-1)
	sx11 := sumSqDev(c1.v10, t1) / fm
	sx12 := sumCrossDev(c1.v10, t1, c2.v10, t2) / fm
	sx22 := sumSqDev(c2.v10, t2) / fm
	sy11 := sumSqDev(c1.v01, t1) / fn
	sy12 := sumCrossDev(c1.v01, t1, c2.v01, t2) / fn
	sy22 := sumSqDev(c2.v01, t2) / fn
	s11 := sx11/float64(m) + sy11/float64(n)
	s12 := sx12/float64(m) + sy12/float64(n)
	s22 := sx22/float64(m) + sy22/float64(n)
	v := s11 - s12 - s12 + s22
	sig := math.Sqrt(v)
	d := t1 - t2
	z := d / sig
	if d == 0 && sig == 0 {
		z = 0
	}
	return Test{
		Method: "DeLong's test for two correlated ROC curves", Paired: true,
		Statistic: z, DF: math.NaN(), P: math.Erfc(math.Abs(z) / math.Sqrt2),
		AUC1: t1, AUC2: t2,
		DiffCILower: d - z975*sig, DiffCIUpper: d + z975*sig,
		Curve1: c1, Curve2: c2,
	}, nil
}

// DeLongUnpaired compares the AUCs of two independent samples (y1, s1) and
// (y2, s2) as pROC's roc.test(roc1, roc2, method = "delong", paired = FALSE):
// with V_k = var(V10_k)/m_k + var(V01_k)/n_k (pROC's DeLong variance),
// D = (AUC1 - AUC2)/sqrt(V1 + V2), Welch-Satterthwaite
// df = (V1 + V2)² / (V1²/(N1-1) + V2²/(N2-1)) with N = m + n, and
// p = 2*pt(-|D|, df).
func DeLongUnpaired(y1, s1, y2, s2 []float64) (Test, error) {
	c1, err := Compute(y1, s1)
	if err != nil {
		return Test{}, err
	}
	c2, err := Compute(y2, s2)
	if err != nil {
		return Test{}, err
	}
	return UnpairedCurves(c1, c2)
}

// UnpairedCurves runs DeLong's unpaired test on two curves, see
// DeLongUnpaired.
func UnpairedCurves(c1, c2 *Curve) (Test, error) {
	if c1.NCases < 2 || c1.NControls < 2 || c2.NCases < 2 || c2.NControls < 2 {
		return Test{}, errors.New("roc: DeLong's test needs at least 2 cases and 2 controls per curve")
	}
	v1, v2 := c1.VarDeLong, c2.VarDeLong
	d := (c1.AUC - c2.AUC) / math.Sqrt(v1+v2)
	n1 := float64(c1.NCases + c1.NControls)
	n2 := float64(c2.NCases + c2.NControls)
	df := (v1 + v2) * (v1 + v2) / (v1*v1/(n1-1) + v2*v2/(n2-1))
	return Test{
		Method: "DeLong's test for two ROC curves", Paired: false,
		Statistic: d, DF: df, P: twoSidedT(d, df),
		AUC1: c1.AUC, AUC2: c2.AUC,
		DiffCILower: math.NaN(), DiffCIUpper: math.NaN(),
		Curve1: c1, Curve2: c2,
	}, nil
}

// twoSidedT returns 2*pt(-|t|, df) = I_{df/(df+t²)}(df/2, 1/2), computed
// directly as a tail (no 1 - CDF cancellation).
func twoSidedT(t, df float64) float64 {
	if math.IsNaN(t) || math.IsNaN(df) {
		return math.NaN()
	}
	if math.IsInf(t, 0) {
		return 0
	}
	return mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
}
