package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spinerad/spinerad/internal/extract"
	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/safefile"
)

func extractCmd() *cobra.Command {
	var (
		params      string
		overrides   []string
		label       int
		out         string
		format      string
		diagnostics bool
		batch       string
		workers     int
		noCache     bool
		cacheDir    string
	)
	cmd := &cobra.Command{
		Use:   "extract IMAGE MASK | extract --batch CASES.csv -o FEATURES.csv",
		Short: "Extract PyRadiomics-compatible features from an image and a mask",
		Long: `Extract radiomics features with PyRadiomics' names and values.

IMAGE and MASK are NIfTI (.nii, .nii.gz) or NRRD (.nrrd, .nhdr) files.
-p takes a PyRadiomics parameter file (YAML or JSON) or a built-in preset:
  ` + strings.Join(extract.PresetNames(), "\n  ") + `
Without -p, PyRadiomics' defaults apply (Original image, every class but shape2D).
-s KEY:VALUE overrides a setting as PyRadiomics' command line does (e.g. -s force2D:true).

Batch mode: --batch CASES.csv (no positional arguments) takes PyRadiomics'
batch layout: columns Image and Mask (required, case-sensitive), optionally
Label (per-case label; empty = --label or the parameter file's), and any
other columns (e.g. ID), which are copied to the output. A relative path is
used as is if it exists relative to the current directory, otherwise it is
taken relative to the directory of CASES.csv. -o FEATURES.csv gets one row
per case, in input order: the input columns, then "error" (empty when the
case succeeded), then the features (diagnostics too with --diagnostics) in
the order of the first successful case, keys that only later cases have
appended sorted. A failed case keeps its error message and empty feature
cells; the batch goes on and the command exits non-zero at the end.
Cases run in parallel (-j, default the number of CPUs). Each finished case
is cached at once in --cache-dir (default FEATURES.csv.cache), keyed by the
image and mask contents, the label, the parameters and the spinerad and Go
versions, so an interrupted batch resumes where it stopped and gives a
byte-identical output. --no-cache recomputes every case (and refreshes the
cache). Delete the cache directory to reclaim its space.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if batch != "" {
				if len(args) != 0 {
					return fmt.Errorf("--batch takes no IMAGE or MASK arguments (the case list names them)")
				}
				return nil
			}
			return cobra.ExactArgs(2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := extract.ResolveParams(params)
			if err != nil {
				return err
			}
			for _, o := range overrides {
				if err := p.Override(o); err != nil {
					return err
				}
			}
			if cmd.Flags().Changed("label") {
				if err := p.Override(fmt.Sprintf("label:%d", label)); err != nil {
					return err
				}
			}
			if format != "csv" && format != "json" {
				return fmt.Errorf("--format must be csv or json, not %q", format)
			}
			if batch != "" {
				return runBatch(cmd, p, batch, out, format, overrides, label, workers, noCache, cacheDir, diagnostics)
			}
			img, err := imageio.Read(args[0])
			if err != nil {
				return err
			}
			mask, err := imageio.Read(args[1])
			if err != nil {
				return err
			}
			p.NoDiagnostics = !diagnostics
			res, err := p.Execute(img, mask)
			if err != nil {
				return fmt.Errorf("%s with %s: %w", args[0], args[1], err)
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(os.Stderr, "warning:", w)
			}
			write := func(w io.Writer) error {
				if format == "json" {
					return extract.WriteJSON(w, res, diagnostics)
				}
				return extract.WriteCSV(w, res, diagnostics)
			}
			if out == "" {
				return write(os.Stdout)
			}
			return safefile.Write(out, write)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&params, "params", "p", "", "parameter file (YAML/JSON) or preset name")
	f.StringArrayVarP(&overrides, "setting", "s", nil, "override a setting, KEY:VALUE (repeatable)")
	f.IntVar(&label, "label", 1, "label value of the ROI in the mask")
	f.StringVarP(&out, "out", "o", "", "output file (default: standard output)")
	f.StringVar(&format, "format", "csv", "output format: csv or json")
	f.BoolVar(&diagnostics, "diagnostics", false, "include PyRadiomics-style diagnostics_* rows")
	f.StringVar(&batch, "batch", "", "batch mode: CSV case list with columns Image, Mask[, Label, ...]")
	f.IntVarP(&workers, "jobs", "j", runtime.NumCPU(), "batch: number of cases extracted in parallel")
	f.BoolVar(&noCache, "no-cache", false, "batch: recompute every case instead of reading the cache")
	f.StringVar(&cacheDir, "cache-dir", "", "batch: cache directory (default: FEATURES.csv.cache)")
	return cmd
}

// runBatch runs extract --batch; SIGINT and SIGTERM stop it after the cases
// in progress (finished cases stay cached).
func runBatch(cmd *cobra.Command, p *extract.Params, cases, out, format string, overrides []string, label int,
	workers int, noCache bool, cacheDir string, diagnostics bool) error {
	if out == "" {
		return fmt.Errorf("--batch needs an output file (-o FEATURES.csv)")
	}
	if format != "csv" {
		return fmt.Errorf("--batch writes CSV only (--format %s is not supported)", format)
	}
	if workers < 1 {
		return fmt.Errorf("-j must be at least 1, not %d", workers)
	}
	if cmd.Flags().Changed("label") {
		overrides = append(overrides, fmt.Sprintf("label:%d", label))
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal terminates at once
	}()
	_, err := extract.RunBatch(ctx, extract.BatchOptions{
		CasesPath: cases, OutPath: out, Params: p, Overrides: overrides, Workers: workers,
		NoCache: noCache, CacheDir: cacheDir, Diagnostics: diagnostics,
		Log: os.Stderr, Bar: extract.IsTerminal(os.Stderr),
	})
	return err
}
