// Package study runs the analysis of a radiomics prediction study as in Liu
// et al. (Front. Oncol. 2025): cohort split, clinical variable selection by
// univariable then multivariable logistic regression, a LASSO-logistic
// rad-score with k-fold cross-validation, clinical, radiomics and combined
// models, and their evaluation (ROC with DeLong CIs and tests, metrics at the
// training Youden threshold, calibration, decision curves, clinical impact,
// net reduction, nomogram, baseline table). Numbers follow R (glm, glmnet,
// pROC, rms); see internal/stats.
package study

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is a study definition (study.yaml). Every field can also be set
// with a command-line flag.
type Config struct {
	// Title names the study in the report.
	Title string `yaml:"title"`
	// Clinical and Features are CSV files joined on the ID column (either may
	// hold both kinds of columns; Features may be empty).
	Clinical string `yaml:"clinical"`
	Features string `yaml:"features"`
	// ID is the patient identifier column.
	ID string `yaml:"id"`
	// Outcome is the outcome column; Positive the value that means the event.
	Outcome  string `yaml:"outcome"`
	Positive string `yaml:"positive"`
	// SplitColumn names an existing column with values train/validation;
	// when empty, a seeded stratified random split with TrainFraction is drawn.
	SplitColumn   string  `yaml:"split_column"`
	TrainFraction float64 `yaml:"train_fraction"`
	// FoldColumn assigns training rows to LASSO CV folds (1..K); when empty
	// a seeded stratified assignment with Folds folds is drawn.
	FoldColumn string `yaml:"fold_column"`
	Folds      int    `yaml:"folds"`
	// ClinicalVars lists candidate clinical variables, optionally with a
	// transform prefix ("log:ca125").
	ClinicalVars []string `yaml:"clinical_vars"`
	// ClinicalSelection is "univariable" (univariable p < UnivariableP, then
	// multivariable p < MultivariableP) or "none" (the listed variables form
	// the clinical model as they are).
	ClinicalSelection string  `yaml:"clinical_selection"`
	UnivariableP      float64 `yaml:"univariable_p"`
	MultivariableP    float64 `yaml:"multivariable_p"`
	// FeatureColumns is a regular expression selecting radiomics feature columns.
	FeatureColumns string `yaml:"feature_columns"`
	// ICCFeatures is an optional CSV of a second reader's features (same ID
	// and feature columns); features with ICC(2,1) below ICCThreshold are dropped.
	ICCFeatures  string  `yaml:"icc_features"`
	ICCThreshold float64 `yaml:"icc_threshold"`
	// TwoGroupP drops features whose Wilcoxon rank-sum p (train, benign vs
	// malignant) is not below it; 0 switches the filter off.
	TwoGroupP float64 `yaml:"two_group_p"`
	// CorrelationThreshold drops the later feature of every pair with
	// |Pearson r| above it (train rows); 0 switches the filter off.
	CorrelationThreshold float64 `yaml:"correlation_threshold"`
	// LassoMeasure is the CV measure ("deviance" or "auc"); LassoRule
	// chooses "lambda.min" or "lambda.1se".
	LassoMeasure string `yaml:"lasso_measure"`
	LassoRule    string `yaml:"lasso_rule"`
	// Bootstrap is the number of bootstrap resamples of the calibration curve.
	Bootstrap int `yaml:"bootstrap"`
	// Seed seeds every random step (split, folds, bootstrap).
	Seed uint64 `yaml:"seed"`
}

// DefaultFeatureColumns matches PyRadiomics feature names
// (<image>_<class>_<feature>).
const DefaultFeatureColumns = `^(original|wavelet[0-9]*-[LH]+|log-sigma-[0-9-]+-mm-3D|square|squareroot|logarithm|exponential|gradient|lbp-[23]D[-a-z0-9]*)_(shape|shape2D|firstorder|glcm|glrlm|glszm|gldm|ngtdm)_[A-Za-z0-9]+$`

// DefaultConfig returns the defaults of the study (see Template).
func DefaultConfig() Config {
	return Config{
		Title:             "Radiomics study",
		ID:                "patient_id",
		Outcome:           "malignant",
		Positive:          "1",
		TrainFraction:     0.7,
		Folds:             5,
		ClinicalSelection: "univariable",
		UnivariableP:      0.05,
		MultivariableP:    0.05,
		FeatureColumns:    DefaultFeatureColumns,
		ICCThreshold:      0.75,
		LassoMeasure:      "deviance",
		LassoRule:         "lambda.min",
		Bootstrap:         1000,
		Seed:              20250101,
	}
}

// LoadConfig reads a study.yaml over the defaults; unknown keys are errors.
func LoadConfig(path string) (Config, error) {
	c := DefaultConfig()
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%s: %v", path, err)
	}
	return c, nil
}

// Validate checks the configuration and returns the first problem.
func (c *Config) Validate() error {
	switch {
	case c.Clinical == "" && c.Features == "":
		return fmt.Errorf("no input: give a clinical CSV and/or a features CSV")
	case c.ID == "":
		return fmt.Errorf("no ID column given")
	case c.Outcome == "":
		return fmt.Errorf("no outcome column given")
	case c.SplitColumn == "" && (c.TrainFraction <= 0 || c.TrainFraction >= 1):
		return fmt.Errorf("train_fraction must be between 0 and 1, not %v", c.TrainFraction)
	case c.FoldColumn == "" && c.Folds < 3:
		return fmt.Errorf("folds must be at least 3, not %d", c.Folds)
	case c.ClinicalSelection != "univariable" && c.ClinicalSelection != "none":
		return fmt.Errorf("clinical_selection must be univariable or none, not %q", c.ClinicalSelection)
	case c.LassoMeasure != "deviance" && c.LassoMeasure != "auc":
		return fmt.Errorf("lasso_measure must be deviance or auc, not %q", c.LassoMeasure)
	case c.LassoRule != "lambda.min" && c.LassoRule != "lambda.1se":
		return fmt.Errorf("lasso_rule must be lambda.min or lambda.1se, not %q", c.LassoRule)
	case c.Bootstrap < 0:
		return fmt.Errorf("bootstrap must be >= 0")
	}
	if _, err := regexp.Compile(c.FeatureColumns); err != nil {
		return fmt.Errorf("feature_columns: %v", err)
	}
	for _, v := range c.ClinicalVars {
		if _, err := ParseVar(v); err != nil {
			return err
		}
	}
	return nil
}

// Var is a clinical variable with its transform.
type Var struct {
	Column    string // column in the input
	Transform string // "", "log" (natural log) or "per<N>" (divided by N)
}

// ParseVar parses "age", "log:ca125" (natural log) or "per10:age" (the
// value divided by 10, so that the odds ratio is per 10 units).
func ParseVar(s string) (Var, error) {
	s = strings.TrimSpace(s)
	if t, col, ok := strings.Cut(s, ":"); ok {
		if col == "" {
			return Var{}, fmt.Errorf("clinical variable %q: no column", s)
		}
		if t == "log" {
			return Var{col, t}, nil
		}
		if u, ok := strings.CutPrefix(t, "per"); ok {
			if f, err := strconv.ParseFloat(u, 64); err == nil && f > 0 && !math.IsInf(f, 0) {
				return Var{col, t}, nil
			}
		}
		return Var{}, fmt.Errorf("clinical variable %q: unknown transform %q (log, or per<N> such as per10)", s, t)
	}
	if s == "" {
		return Var{}, fmt.Errorf("empty clinical variable name")
	}
	return Var{Column: s}, nil
}

// Apply transforms a raw value (ok is false where the transform is
// undefined, e.g. the log of a value <= 0).
func (v Var) Apply(x float64) (float64, bool) {
	return applyTransform(v.Transform, x)
}

func applyTransform(t string, x float64) (float64, bool) {
	switch {
	case t == "":
		return x, true
	case t == "log":
		if x <= 0 {
			return math.NaN(), false
		}
		return math.Log(x), true
	case strings.HasPrefix(t, "per"):
		u, _ := strconv.ParseFloat(t[3:], 64)
		return x / u, true
	}
	return math.NaN(), false
}

// Name is the variable's name in models and tables ("log_ca125", "per10_age").
func (v Var) Name() string {
	if v.Transform != "" {
		return v.Transform + "_" + v.Column
	}
	return v.Column
}

// Template is the commented study.yaml written by `spinerad study init`.
const Template = `# spinerad study definition. Every key can also be given as a flag
# (spinerad study --help). Paths are relative to the current directory.
title: "Benign vs malignant vertebral compression fractures"

# Inputs: a clinical CSV and a features CSV (from spinerad extract --batch),
# joined on the ID column. Either file may hold both kinds of columns.
clinical: clinical.csv
features: features.csv
id: patient_id
outcome: malignant
positive: "1"          # the outcome value that means the event

# Cohort split: an existing column with values train/validation, or (when
# empty) a seeded stratified random split with this training fraction.
split_column: cohort
train_fraction: 0.7

# LASSO cross-validation folds of the training rows: a column (1..K) or,
# when empty, a seeded stratified assignment.
fold_column: ""
folds: 5

# Clinical candidates; "log:" takes the natural log, "per10:" divides by 10
# (odds ratio per 10 units).
clinical_vars: [age, sex, "log:ca125", "log:cea", alp, posterior_involvement, pain_duration_weeks, history_of_cancer]
# univariable: keep p < univariable_p, then refit them together and keep
# p < multivariable_p. none: the listed variables form the clinical model.
clinical_selection: univariable
univariable_p: 0.05
multivariable_p: 0.05

# Radiomics feature columns (regular expression; default: PyRadiomics names).
# feature_columns: '^original_.*'
# Optional filters, applied in this order before LASSO:
icc_features: ""        # second reader's features CSV; keep ICC(2,1) >= icc_threshold
icc_threshold: 0.75
two_group_p: 0          # e.g. 0.05: keep features with Wilcoxon p < 0.05 (train)
correlation_threshold: 0 # e.g. 0.9: drop the later feature of pairs with |r| > 0.9

# LASSO-logistic regression with k-fold CV (glmnet): measure and rule.
lasso_measure: deviance  # or auc
lasso_rule: lambda.min   # or lambda.1se

# Bootstrap resamples of the optimism-corrected calibration curve.
bootstrap: 1000
seed: 20250101
`
