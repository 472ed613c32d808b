package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spinerad/spinerad/internal/extract"
	"github.com/spinerad/spinerad/internal/phantom"
)

func demoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Run spinerad on built-in data (no files needed)",
		Long: `Run spinerad end to end on data built into the binary.

Today this extracts every feature class from the IBSI-1 digital phantom
(5 x 4 x 4 voxels, CC BY 4.0) with the IBSI benchmark settings and prints
the values. The full synthetic-cohort study demo replaces it when the study
engine lands.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := extract.ResolveParams("ibsi-digital-phantom")
			if err != nil {
				return err
			}
			img, mask := phantom.DigitalPhantom()
			res, err := p.Execute(img, mask)
			if err != nil {
				return err
			}
			fmt.Fprintln(os.Stderr, "IBSI-1 digital phantom, binWidth 1:", len(res.Features), "features")
			return extract.WriteCSV(os.Stdout, res, false)
		},
	}
}
