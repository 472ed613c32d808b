package study

import "github.com/spinerad/spinerad/internal/stats/rfixture"

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
