package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spinerad/spinerad/internal/extract"
	"github.com/spinerad/spinerad/internal/report"
	"github.com/spinerad/spinerad/internal/safefile"
	"github.com/spinerad/spinerad/internal/study"
)

func studyCmd() *cobra.Command {
	var (
		configPath, out, clinicalVars, extraction string
		synthetic                                 bool
	)
	cfg := study.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "study [-c study.yaml] -o OUTDIR",
		Short: "Build and evaluate the clinical, radiomics and combined models; write the report",
		Long: `Run the whole analysis of a radiomics prediction study (Liu et al. 2025
design) and write OUTDIR/report.html, OUTDIR/tables/*.csv, OUTDIR/figures/*
(SVG, PNG 300 dpi, PDF) and OUTDIR/model.json.

Settings come from the defaults, then study.yaml (-c), then flags.
'spinerad study init' writes a commented study.yaml.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("-o OUTDIR is required")
			}
			c := study.DefaultConfig()
			if configPath != "" {
				var err error
				if c, err = study.LoadConfig(configPath); err != nil {
					return err
				}
			}
			// Flags given on the command line override the file.
			f := cmd.Flags()
			set := func(name string, apply func()) {
				if f.Changed(name) {
					apply()
				}
			}
			set("clinical", func() { c.Clinical = cfg.Clinical })
			set("features", func() { c.Features = cfg.Features })
			set("id", func() { c.ID = cfg.ID })
			set("outcome", func() { c.Outcome = cfg.Outcome })
			set("positive", func() { c.Positive = cfg.Positive })
			set("split-column", func() { c.SplitColumn = cfg.SplitColumn })
			set("train-fraction", func() { c.TrainFraction = cfg.TrainFraction })
			set("fold-column", func() { c.FoldColumn = cfg.FoldColumn })
			set("folds", func() { c.Folds = cfg.Folds })
			set("clinical-vars", func() { c.ClinicalVars = splitList(clinicalVars) })
			set("clinical-selection", func() { c.ClinicalSelection = cfg.ClinicalSelection })
			set("univariable-p", func() { c.UnivariableP = cfg.UnivariableP })
			set("multivariable-p", func() { c.MultivariableP = cfg.MultivariableP })
			set("feature-columns", func() { c.FeatureColumns = cfg.FeatureColumns })
			set("icc-features", func() { c.ICCFeatures = cfg.ICCFeatures })
			set("icc-threshold", func() { c.ICCThreshold = cfg.ICCThreshold })
			set("two-group-p", func() { c.TwoGroupP = cfg.TwoGroupP })
			set("correlation-threshold", func() { c.CorrelationThreshold = cfg.CorrelationThreshold })
			set("lasso-measure", func() { c.LassoMeasure = cfg.LassoMeasure })
			set("lasso-rule", func() { c.LassoRule = cfg.LassoRule })
			set("bootstrap", func() { c.Bootstrap = cfg.Bootstrap })
			set("seed", func() { c.Seed = cfg.Seed })
			set("title", func() { c.Title = cfg.Title })
			res, err := study.Run(c)
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(os.Stderr, "warning:", w)
			}
			params := ""
			if extraction != "" {
				if y, ok := extract.PresetYAML(extraction); ok {
					params = y
				} else if b, err := os.ReadFile(extraction); err == nil {
					params = string(b)
				} else {
					return fmt.Errorf("--extraction-params %s: not a preset and not readable: %v", extraction, err)
				}
			}
			meta := report.Meta{Version: extract.Version, Synthetic: synthetic || looksSynthetic(res.IDs), ExtractionParams: params, ExtractionLabel: 1, Command: strings.Join(os.Args, " ")}
			if err := report.Write(out, res, meta); err != nil {
				return err
			}
			printSummary(os.Stdout, res)
			fmt.Println("report:", out+"/report.html")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&configPath, "config", "c", "", "study.yaml")
	f.StringVarP(&out, "out", "o", "", "output directory (created or replaced)")
	f.StringVar(&cfg.Clinical, "clinical", "", "clinical CSV")
	f.StringVar(&cfg.Features, "features", "", "features CSV (from extract --batch)")
	f.StringVar(&cfg.ID, "id", cfg.ID, "ID column joining the files")
	f.StringVar(&cfg.Outcome, "outcome", cfg.Outcome, "outcome column")
	f.StringVar(&cfg.Positive, "positive", cfg.Positive, "outcome value of the event")
	f.StringVar(&cfg.SplitColumn, "split-column", "", "column with train/validation (else a seeded stratified split)")
	f.Float64Var(&cfg.TrainFraction, "train-fraction", cfg.TrainFraction, "training fraction of a random split")
	f.StringVar(&cfg.FoldColumn, "fold-column", "", "LASSO CV fold of each training row (else seeded stratified folds)")
	f.IntVar(&cfg.Folds, "folds", cfg.Folds, "number of LASSO CV folds")
	f.StringVar(&clinicalVars, "clinical-vars", "", "clinical candidates, comma-separated; prefix log: for the natural log, per10: to divide by 10")
	f.StringVar(&cfg.ClinicalSelection, "clinical-selection", cfg.ClinicalSelection, "univariable or none")
	f.Float64Var(&cfg.UnivariableP, "univariable-p", cfg.UnivariableP, "univariable screen: keep p below this")
	f.Float64Var(&cfg.MultivariableP, "multivariable-p", cfg.MultivariableP, "multivariable model: keep p below this")
	f.StringVar(&cfg.FeatureColumns, "feature-columns", cfg.FeatureColumns, "regular expression selecting radiomics feature columns")
	f.StringVar(&cfg.ICCFeatures, "icc-features", "", "second reader's features CSV for the ICC filter")
	f.Float64Var(&cfg.ICCThreshold, "icc-threshold", cfg.ICCThreshold, "ICC filter: keep ICC(2,1) >= this")
	f.Float64Var(&cfg.TwoGroupP, "two-group-p", 0, "two-group filter: keep Wilcoxon p below this (0: off)")
	f.Float64Var(&cfg.CorrelationThreshold, "correlation-threshold", 0, "redundancy filter: drop |r| above this (0: off)")
	f.StringVar(&cfg.LassoMeasure, "lasso-measure", cfg.LassoMeasure, "deviance or auc")
	f.StringVar(&cfg.LassoRule, "lasso-rule", cfg.LassoRule, "lambda.min or lambda.1se")
	f.IntVar(&cfg.Bootstrap, "bootstrap", cfg.Bootstrap, "bootstrap resamples of the calibration curve")
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of every random step")
	f.StringVar(&cfg.Title, "title", cfg.Title, "report title")
	f.StringVar(&extraction, "extraction-params", "ct1316", "extraction parameters stored in model.json (preset or file)")
	f.BoolVar(&synthetic, "synthetic", false, "mark the report as synthetic data")
	cmd.AddCommand(&cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented study.yaml with the defaults",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "study.yaml"
			if len(args) == 1 {
				path = args[0]
			}
			if _, err := os.Stat(path); err == nil {
				return fmt.Errorf("%s exists; not overwritten", path)
			}
			if err := safefile.Write(path, func(w io.Writer) error { _, err := io.WriteString(w, study.Template); return err }); err != nil {
				return err
			}
			fmt.Println("wrote", path)
			return nil
		},
	})
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// looksSynthetic reports whether every ID carries the synthetic prefix.
func looksSynthetic(ids []string) bool {
	for _, id := range ids {
		if !strings.HasPrefix(id, "SYN") {
			return false
		}
	}
	return len(ids) > 0
}

func printSummary(w io.Writer, r *study.Result) {
	fmt.Fprintf(w, "%-10s %-11s %s\n", "model", "cohort", "AUC (95% CI)")
	for _, p := range r.Performance {
		fmt.Fprintf(w, "%-10s %-11s %.3f (%.3f-%.3f)\n", p.Model, p.Cohort, p.Curve.AUC, p.Curve.CILower, p.Curve.CIUpper)
	}
}
