package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/spf13/cobra"
	"github.com/spinerad/spinerad/internal/extract"
	"github.com/spinerad/spinerad/internal/report"
	"github.com/spinerad/spinerad/internal/study"
	"github.com/spinerad/spinerad/internal/synth"
)

func demoCmd() *cobra.Command {
	var (
		out     string
		n       int
		seed    uint64
		workers int
	)
	cmd := &cobra.Command{
		Use:   "demo [-o DIR]",
		Short: "Run the whole study on a built-in synthetic cohort (no data needed)",
		Long: `Run spinerad end to end with no data of your own:

  1. synth: a SYNTHETIC cohort of --n patients (CT of a fractured vertebra,
     mask, clinical table; not patient data, not evidence);
  2. extract --batch -p ct1316: 1,316 PyRadiomics features per patient;
  3. study: clinical, radiomics and combined models, evaluation, report.

It prints the AUCs and the path of report.html.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			data := filepath.Join(out, "data")
			logf := func(format string, a ...any) {
				fmt.Fprintf(os.Stderr, "[%5.1fs] ", time.Since(start).Seconds())
				fmt.Fprintf(os.Stderr, format+"\n", a...)
			}
			if err := os.MkdirAll(data, 0o755); err != nil {
				return err
			}
			logf("synth: %d synthetic patients -> %s", n, data)
			if _, err := synth.Write(data, synth.Options{N: n, Seed: seed, Gzip: true, Workers: workers}); err != nil {
				return err
			}
			params, err := extract.ResolveParams("ct1316")
			if err != nil {
				return err
			}
			features := filepath.Join(out, "features.csv")
			logf("extract --batch -p ct1316 -> %s", features)
			sum, err := extract.RunBatch(context.Background(), extract.BatchOptions{
				CasesPath: filepath.Join(data, "cases.csv"), OutPath: features, Params: params,
				Workers: workers, CacheDir: filepath.Join(out, "cache"), Log: os.Stderr, Bar: extract.IsTerminal(os.Stderr),
			})
			if err != nil {
				return err
			}
			if sum.Failed > 0 {
				return fmt.Errorf("%d of %d cases failed extraction (see %s)", sum.Failed, sum.Cases, features)
			}
			cfg := study.DefaultConfig()
			cfg.Title = "SYNTHETIC demo: benign vs malignant vertebral compression fractures"
			cfg.Clinical = filepath.Join(data, "clinical.csv")
			cfg.Features = features
			cfg.SplitColumn = "cohort"
			cfg.FoldColumn = "cv_fold"
			cfg.ClinicalVars = []string{"age", "sex", "log:ca125", "log:cea", "alp", "posterior_involvement", "pain_duration_weeks", "history_of_cancer"}
			cfg.Seed = seed
			logf("study -> %s", filepath.Join(out, "study"))
			res, err := study.Run(cfg)
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(os.Stderr, "warning:", w)
			}
			y, _ := extract.PresetYAML("ct1316")
			if err := report.Write(filepath.Join(out, "study"), res, report.Meta{Version: extract.Version, Synthetic: true, ExtractionParams: y, ExtractionLabel: 1}); err != nil {
				return err
			}
			logf("done")
			fmt.Println("SYNTHETIC DATA - not patient data, not evidence.")
			printSummary(os.Stdout, res)
			fmt.Println("report:", filepath.Join(out, "study", "report.html"))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "spinerad-demo", "output directory")
	f.IntVar(&n, "n", 208, "number of synthetic patients")
	f.Uint64Var(&seed, "seed", synth.DefaultSeed, "seed of the synthetic cohort and of the study")
	f.IntVarP(&workers, "jobs", "j", runtime.NumCPU(), "parallel workers")
	return cmd
}
