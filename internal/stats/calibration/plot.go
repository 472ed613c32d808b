package calibration

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// PlotGroup is one risk group of a calibration plot.
type PlotGroup struct {
	// Lower and Upper bound the group's predicted risks ((Lower, Upper],
	// the first closed), as in HosmerLemeshow.
	Lower, Upper float64
	N            int
	// MeanPredicted is the mean p and Observed the event fraction of the
	// group; ObservedLower/ObservedUpper is the Wilson 95% interval of
	// Observed (no continuity correction).
	MeanPredicted, Observed      float64
	ObservedLower, ObservedUpper float64
}

// PlotData is the data of a calibration plot.
type PlotData struct {
	// Groups are the non-empty risk groups (quantile groups of p).
	Groups []PlotGroup
	// SmoothX and SmoothY are the lowess(p, y, iter = 0) curve that
	// rms::val.prob draws (SmoothX sorted, ties kept).
	SmoothX, SmoothY []float64
}

// CalibrationPlot returns grouped observed vs predicted risk over g quantile
// groups of p (the Hosmer-Lemeshow grouping: breaks = unique type-7
// quantiles, intervals (b[k-1], b[k]]; g = 10 gives deciles of risk) and the
// nonparametric lowess calibration curve.
func CalibrationPlot(p, y []float64, g int) (*PlotData, error) {
	hl, err := HosmerLemeshow(y, p, g)
	if err != nil {
		return nil, err
	}
	xs, ys, err := lowessDefault(p, y)
	if err != nil {
		return nil, err
	}
	z := mathext.NormalQuantile(0.975)
	out := &PlotData{SmoothX: xs, SmoothY: ys}
	for _, r := range hl.Table {
		n := float64(r.N)
		o := r.ObservedEvents / n
		z2 := z * z
		den := 1 + z2/n
		c := (o + z2/(2*n)) / den
		h := z * math.Sqrt(o*(1-o)/n+z2/(4*n*n)) / den
		out.Groups = append(out.Groups, PlotGroup{
			Lower: r.Lower, Upper: r.Upper, N: r.N,
			MeanPredicted: r.ExpectedEvents / n, Observed: o,
			ObservedLower: math.Max(0, c-h), ObservedUpper: math.Min(1, c+h),
		})
	}
	return out, nil
}
