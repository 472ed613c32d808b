package figures

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// The gallery renders every figure from realistic synthetic data (a
// validation cohort of 63 patients, 28 malignant, three models with AUCs
// near 0.64, 0.84 and 0.85, a 20-feature LASSO path and a three-predictor
// nomogram). Set FIGURES_GALLERY=/some/dir to keep the files for viewing.

type galleryModel struct {
	name string
	p    []float64 // predicted probabilities
	lp   []float64 // linear predictors
}

func galleryData() (y []int, yf []float64, models []galleryModel) {
	rng := rand.New(rand.NewPCG(42, 1))
	const n, nPos = 63, 28
	y = make([]int, n)
	yf = make([]float64, n)
	for i := range nPos {
		y[i], yf[i] = 1, 1
	}
	// shift d gives AUC = Phi(d / sqrt 2)
	for _, m := range []struct {
		name string
		d    float64
	}{{"Clinical", 0.51}, {"Radiomics", 1.41}, {"Combined", 1.47}} {
		gm := galleryModel{name: m.name, p: make([]float64, n), lp: make([]float64, n)}
		for i := range n {
			z := rng.NormFloat64()
			if y[i] == 1 {
				z += m.d
			}
			gm.lp[i] = 1.1*z - 0.9
			gm.p[i] = 1 / (1 + math.Exp(-gm.lp[i]))
		}
		models = append(models, gm)
	}
	return y, yf, models
}

// rocPoints is the empirical ROC curve and Mann-Whitney AUC.
func rocPoints(y []int, s []float64) (fpr, tpr []float64, auc float64) {
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(s[b], s[a]) })
	var nP, nN float64
	for _, c := range y {
		if c == 1 {
			nP++
		} else {
			nN++
		}
	}
	fpr, tpr = []float64{0}, []float64{0}
	var tp, fp float64
	for k, i := range idx {
		if y[i] == 1 {
			tp++
		} else {
			fp++
			auc += tp
		}
		if k == len(idx)-1 || s[idx[k+1]] != s[i] {
			fpr = append(fpr, fp/nN)
			tpr = append(tpr, tp/nP)
		}
	}
	return fpr, tpr, auc / (nP * nN)
}

// smooth is a Gaussian kernel regression of y on x at the grid points.
func smooth(x, y, grid []float64, bw float64) []float64 {
	out := make([]float64, len(grid))
	for g, x0 := range grid {
		var sw, swy float64
		for i := range x {
			w := math.Exp(-0.5 * math.Pow((x[i]-x0)/bw, 2))
			sw += w
			swy += w * y[i]
		}
		out[g] = swy / sw
	}
	return out
}

func galleryDir(t *testing.T) string {
	if d := os.Getenv("FIGURES_GALLERY"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func TestGallery(t *testing.T) {
	dir := galleryDir(t)
	y, yf, models := galleryData()
	n := float64(len(y))

	// ROC
	var curves []ROCCurve
	for _, m := range models {
		fpr, tpr, auc := rocPoints(y, m.p)
		se := math.Sqrt(auc * (1 - auc) / 20)
		curves = append(curves, ROCCurve{Name: m.name, FPR: fpr, TPR: tpr, AUC: auc, CILow: auc - 1.96*se, CIHigh: math.Min(1, auc+1.96*se)})
	}
	must(t, ROC(curves, "ROC curves, validation cohort", Output{Dir: dir, Name: "roc"}))
	long := slices.Clone(curves)
	long[0].Name = "Clinical model (CA125 + posterior involvement)"
	long[1].Name = "Radiomics model (rad-score)"
	long[2].Name = "Combined model (nomogram)"
	must(t, ROC(long, "ROC curves of the three models in the independent validation cohort", Output{Dir: dir, Name: "roc_long_names"}))

	// Rad-score
	must(t, RadScore(models[1].lp, y, "validation cohort", Output{Dir: dir, Name: "radscore"}))

	// Calibration: deciles, kernel-smoothed apparent curve, a shrunken
	// "bias-corrected" curve, rug.
	var series []CalibrationSeries
	grid := make([]float64, 50)
	for i := range grid {
		grid[i] = 0.02 + 0.96*float64(i)/49
	}
	for _, m := range models {
		idx := make([]int, len(y))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmpFloat(m.p[a], m.p[b]) })
		var gp, go_ []float64
		for g := range 6 {
			lo, hi := g*len(idx)/6, (g+1)*len(idx)/6
			var sp, sy float64
			for _, i := range idx[lo:hi] {
				sp += m.p[i]
				sy += yf[i]
			}
			gp = append(gp, sp/float64(hi-lo))
			go_ = append(go_, sy/float64(hi-lo))
		}
		app := smooth(m.p, yf, grid, 0.12)
		corr := make([]float64, len(app))
		for i := range app {
			corr[i] = 0.8*app[i] + 0.2*0.44
		}
		series = append(series, CalibrationSeries{Name: m.name, GroupPredicted: gp, GroupObserved: go_,
			ApparentX: grid, ApparentY: app, CorrectedX: grid, CorrectedY: corr, Predictions: m.p})
	}
	must(t, Calibration(series, "Calibration, validation cohort", Output{Dir: dir, Name: "calibration"}))
	must(t, Calibration(series[2:], "Calibration of the combined model", Output{Dir: dir, Name: "calibration_combined"}))

	// Decision curves
	var thr []float64
	for k := 1; k <= 99; k++ {
		thr = append(thr, float64(k)/100)
	}
	prev := 28 / n
	treatAll := make([]float64, len(thr))
	var nb, nr []NamedSeries
	var hr, hre []float64
	for i, th := range thr {
		treatAll[i] = prev - (1-prev)*th/(1-th)
	}
	for mi, m := range models {
		s := NamedSeries{Name: m.name, Y: make([]float64, len(thr))}
		r := NamedSeries{Name: m.name, Y: make([]float64, len(thr))}
		for i, th := range thr {
			var tp, fp float64
			for k := range y {
				if m.p[k] >= th {
					if y[k] == 1 {
						tp++
					} else {
						fp++
					}
				}
			}
			s.Y[i] = tp/n - fp/n*th/(1-th)
			r.Y[i] = (s.Y[i] - treatAll[i]) / (th / (1 - th)) * 100
			if mi == 2 {
				hr = append(hr, 1000*(tp+fp)/n)
				hre = append(hre, 1000*tp/n)
			}
		}
		nb = append(nb, s)
		nr = append(nr, r)
	}
	must(t, DecisionCurve(thr, nb, treatAll, "Decision curves, validation cohort", Output{Dir: dir, Name: "dca"}))
	must(t, ClinicalImpact(thr, hr, hre, "Clinical impact curve, combined model", Output{Dir: dir, Name: "cic"}))
	must(t, NetReduction(thr, nr, "Net reduction in interventions", Output{Dir: dir, Name: "net_reduction"}))

	// LASSO path: 20 features entering at different lambdas.
	names := []string{
		"wavelet-LLH_glcm_Idn", "original_shape_Sphericity", "wavelet-HLL_firstorder_Skewness",
		"log-sigma-3-0-mm-3D_glszm_SmallAreaLowGrayLevelEmphasis", "original_glrlm_RunEntropy",
		"wavelet-LHL_gldm_DependenceVariance", "original_firstorder_10Percentile", "wavelet-HHH_glcm_ClusterShade",
		"log-sigma-1-0-mm-3D_firstorder_Kurtosis", "original_ngtdm_Busyness", "wavelet-LLL_glszm_ZoneEntropy",
		"original_shape_Flatness", "wavelet-HLH_glrlm_ShortRunEmphasis", "log-sigma-5-0-mm-3D_glcm_Correlation",
		"original_gldm_LargeDependenceHighGrayLevelEmphasis", "wavelet-LHH_firstorder_Median",
		"original_glcm_Imc2", "wavelet-HHL_ngtdm_Strength", "log-sigma-2-0-mm-3D_glrlm_LongRunLowGrayLevelEmphasis",
		"original_firstorder_Energy",
	}
	rng := rand.New(rand.NewPCG(7, 7))
	nl := 100
	lambdas := make([]float64, nl)
	for k := range lambdas {
		lambdas[k] = 0.25 * math.Pow(1e-3, float64(k)/float64(nl-1))
	}
	coefs := make([][]float64, len(names))
	for j := range coefs {
		entry := 3 + rng.IntN(80)
		slope := (0.05 + 0.25*rng.Float64()) / (1 + float64(j)/6)
		if rng.IntN(2) == 0 {
			slope = -slope
		}
		coefs[j] = make([]float64, nl)
		for k := entry; k < nl; k++ {
			coefs[j][k] = slope * math.Log(lambdas[entry]/lambdas[k])
		}
	}
	kmin, k1se := 48, 33
	must(t, LassoPath(lambdas, coefs, names, lambdas[kmin], lambdas[k1se], "", Output{Dir: dir, Name: "lasso_path"}))

	cvm, cvup, cvlo := make([]float64, nl), make([]float64, nl), make([]float64, nl)
	nz := make([]int, nl)
	for k := range lambdas {
		d := float64(k-kmin) / 30
		cvm[k] = 1.02 + 0.35*d*d + 0.3*math.Max(0, -d)
		cvm[k] = math.Min(cvm[k], 1.375)
		sd := 0.05 + 0.02*rng.Float64()
		cvup[k], cvlo[k] = cvm[k]+sd, cvm[k]-sd
		for j := range coefs {
			if coefs[j][k] != 0 {
				nz[k]++
			}
		}
	}
	must(t, LassoCV(lambdas, cvm, cvup, cvlo, nz, lambdas[kmin], lambdas[k1se], "deviance", "", Output{Dir: dir, Name: "lasso_cv"}))

	var selNames []string
	var selCoefs []float64
	for j := range coefs {
		if coefs[j][k1se] != 0 {
			selNames = append(selNames, names[j])
			selCoefs = append(selCoefs, coefs[j][k1se])
		}
	}
	must(t, Coefficients(selNames, selCoefs, "", Output{Dir: dir, Name: "coefficients"}))

	must(t, Nomogram(galleryNomogram(), Output{Dir: dir, Name: "nomogram"}))
}

// galleryNomogram is a combined model logit = -6.2 + 0.9 log(CA125) +
// 1.3 posterior + 1.0 rad-score, points as rms::nomogram assigns them.
func galleryNomogram() NomogramSpec {
	const b0, bCA, bPost, bRad = -6.2, 0.9, 1.3, 1.0
	caLo, caHi := 1.0, 6.0
	radLo, radHi := -3.0, 4.0
	eff := []float64{bCA * (caHi - caLo), bPost, bRad * (radHi - radLo)}
	scale := 100 / slices.Max(eff)
	var ca, rad []NomogramTick
	for v := caLo; v <= caHi; v += 0.5 {
		ca = append(ca, NomogramTick{Value: v, Points: bCA * (v - caLo) * scale})
	}
	for v := radLo; v <= radHi; v++ {
		rad = append(rad, NomogramTick{Value: v, Points: bRad * (v - radLo) * scale})
	}
	post := []NomogramTick{{Label: "No", Points: 0}, {Label: "Yes", Points: bPost * scale}}
	totMax := (eff[0] + eff[1] + eff[2]) * scale
	var tot []float64
	for v := 0.0; v <= totMax; v += 20 {
		tot = append(tot, v)
	}
	if tot[len(tot)-1] < totMax {
		tot = append(tot, tot[len(tot)-1]+20)
	}
	lp0 := b0 + bCA*caLo + bRad*radLo // linear predictor at 0 points
	totHi := tot[len(tot)-1]
	var lp, risk []NomogramTick
	for v := -6.0; v <= 6; v++ {
		if pts := (v - lp0) * scale; pts >= 0 && pts <= totHi {
			lp = append(lp, NomogramTick{Value: v, Points: pts})
		}
	}
	for _, p := range []float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99} {
		if pts := (math.Log(p/(1-p)) - lp0) * scale; pts >= 0 && pts <= totHi {
			risk = append(risk, NomogramTick{Value: p, Points: pts})
		}
	}
	return NomogramSpec{
		Title: "Nomogram for malignant vertebral compression fracture",
		Predictors: []NomogramAxis{
			{Name: "log(CA125)", Ticks: ca},
			{Name: "Posterior involvement", Ticks: post},
			{Name: "Rad-score", Ticks: rad},
		},
		TotalPoints:     tot,
		LinearPredictor: lp,
		Risk:            risk,
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
