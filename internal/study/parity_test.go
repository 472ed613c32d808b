package study

import (
	"math"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

// fixtureConfig is the study of the R fixture's cohort: clinical model
// log(ca125) + posterior_involvement, LASSO with the fixture's folds.
func fixtureConfig() Config {
	c := DefaultConfig()
	c.Clinical = rfixture.Path("data/cohort_b.csv")
	c.ID = "patient_id"
	c.Outcome = "malignant"
	c.SplitColumn = "cohort"
	c.FoldColumn = "cv_fold"
	c.ClinicalVars = []string{"log:ca125", "posterior_involvement"}
	c.ClinicalSelection = "none"
	c.Bootstrap = 20
	return c
}

type rocBlock struct {
	AUC       rfixture.Float                        `json:"auc"`
	CIDeLong  struct{ Lower, Upper rfixture.Float } `json:"ci_delong"`
	VarDeLong rfixture.Float                        `json:"var_delong"`
}

func TestStudyMatchesRFixture(t *testing.T) {
	var rad struct {
		LambdaMin float64  `json:"lambda_min"`
		Selected  []string `json:"selected_features"`
	}
	rfixture.Load(t, "02_radscore.json", &rad)
	var rocs struct {
		Validation struct {
			ROC map[string]rocBlock `json:"roc"`
		} `json:"validation"`
		Paired []struct {
			ROC1 string         `json:"roc1"`
			ROC2 string         `json:"roc2"`
			Z    rfixture.Float `json:"statistic_Z"`
			P    rfixture.Float `json:"p_value"`
		} `json:"paired_delong_validation"`
		AtYouden map[string]struct {
			Threshold                   float64 `json:"threshold"`
			TP, FP, TN, FN              int
			Accuracy, Sensitivity, Spec float64
		} `json:"validation_at_train_youden"`
	}
	rfixture.Load(t, "03_roc_cohort.json", &rocs)
	res, err := Run(fixtureConfig())
	if err != nil {
		t.Fatal(err)
	}
	if !rfixture.Rel(res.Chosen.Lambda, rad.LambdaMin, 1e-12) {
		t.Errorf("lambda.min %v, R %v", res.Chosen.Lambda, rad.LambdaMin)
	}
	want := map[string]bool{}
	for _, f := range rad.Selected {
		want[f] = true
	}
	if len(res.Selected) != len(want) {
		t.Errorf("selected %d features, R %d", len(res.Selected), len(want))
	}
	for _, f := range res.Selected {
		if !want[f] {
			t.Errorf("selected %s, not selected by R", f)
		}
	}
	modelOf := map[string]string{"clinical": "clinical", "radscore": "radiomics", "combined": "combined"}
	for rname, block := range rocs.Validation.ROC {
		p, ok := res.PerfOf(modelOf[rname], "validation")
		if !ok {
			t.Fatalf("no %s performance", rname)
		}
		if !rfixture.Rel(p.Curve.AUC, float64(block.AUC), 1e-9) || !rfixture.Rel(p.Curve.CILower, float64(block.CIDeLong.Lower), 1e-6) || !rfixture.Rel(p.Curve.CIUpper, float64(block.CIDeLong.Upper), 1e-6) {
			t.Errorf("%s validation AUC %v (%v-%v), R %v (%v-%v)", rname, p.Curve.AUC, p.Curve.CILower, p.Curve.CIUpper, block.AUC, block.CIDeLong.Lower, block.CIDeLong.Upper)
		}
		y := rocs.AtYouden[rname]
		m := res.Models[modelOf[rname]]
		if !rfixture.Rel(m.Threshold, y.Threshold, 1e-6) {
			t.Errorf("%s Youden threshold %v, R %v", rname, m.Threshold, y.Threshold)
		}
		if p.Metrics.TP != y.TP || p.Metrics.FP != y.FP || p.Metrics.TN != y.TN || p.Metrics.FN != y.FN {
			t.Errorf("%s validation counts %+v, R %+v", rname, p.Metrics, y)
		}
	}
	for _, pd := range rocs.Paired {
		found := false
		for _, d := range res.DeLong {
			if d.Cohort == "validation" && d.ModelA == modelOf[pd.ROC1] && d.ModelB == modelOf[pd.ROC2] {
				found = true
				if !rfixture.Rel(d.Test.Statistic, float64(pd.Z), 1e-6) || !rfixture.Rel(d.Test.P, float64(pd.P), 1e-6) {
					t.Errorf("DeLong %s vs %s: Z %v p %v, R %v %v", pd.ROC1, pd.ROC2, d.Test.Statistic, d.Test.P, pd.Z, pd.P)
				}
			}
		}
		if !found {
			t.Errorf("no DeLong test %s vs %s", pd.ROC1, pd.ROC2)
		}
	}
	_ = math.Abs
}
