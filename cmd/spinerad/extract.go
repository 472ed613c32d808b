package main

import (
	"fmt"
	"io"
	"os"
	"strings"

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
	)
	cmd := &cobra.Command{
		Use:   "extract IMAGE MASK",
		Short: "Extract PyRadiomics-compatible features from an image and a mask",
		Long: `Extract radiomics features with PyRadiomics' names and values.

IMAGE and MASK are NIfTI (.nii, .nii.gz) or NRRD (.nrrd, .nhdr) files.
-p takes a PyRadiomics parameter file (YAML or JSON) or a built-in preset:
  ` + strings.Join(extract.PresetNames(), "\n  ") + `
Without -p, PyRadiomics' defaults apply (Original image, every class but shape2D).
-s KEY:VALUE overrides a setting as PyRadiomics' command line does (e.g. -s force2D:true).`,
		Args: cobra.ExactArgs(2),
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
			img, err := imageio.Read(args[0])
			if err != nil {
				return err
			}
			mask, err := imageio.Read(args[1])
			if err != nil {
				return err
			}
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
	return cmd
}
