package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
	"github.com/spinerad/spinerad/internal/synth"
)

func synthCmd() *cobra.Command {
	var (
		out                  string
		n, workers           int
		seed                 uint64
		gzip, labels, realsz bool
	)
	cmd := &cobra.Command{
		Use:   "synth --n 208 --seed S -o DIR",
		Short: "Write a SYNTHETIC vertebral-fracture cohort (CTs, masks, clinical table)",
		Long: `Write a synthetic cohort for trying spinerad without patient data: one
CT per patient (NIfTI, HU) of a fractured vertebra (benign osteoporotic or
malignant), a mask of the vertebral body and a second reader's mask,
cases.csv for 'extract --batch', clinical.csv, truth.csv and manifest.json.

The data are SYNTHETIC: not patient data, not for clinical use, not evidence.
The same --n and --seed always give byte-identical files.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("-o DIR is required")
			}
			opt := synth.Options{N: n, Seed: seed, Gzip: gzip, Workers: workers, Labels: labels}
			if realsz {
				p, err := synth.DefaultParams(synth.ProfileRealistic)
				if err != nil {
					return err
				}
				opt.Params = p
			}
			m, err := synth.Write(out, opt)
			if err != nil {
				return err
			}
			fmt.Printf("wrote %d SYNTHETIC patients to %s (seed %d)\n", n, out, m.Seed)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "output directory")
	f.IntVar(&n, "n", 208, "number of patients")
	f.Uint64Var(&seed, "seed", synth.DefaultSeed, "seed")
	f.BoolVar(&gzip, "gzip", true, "write .nii.gz")
	f.BoolVar(&labels, "labels", false, "also write multi-label QA maps")
	f.BoolVar(&realsz, "realistic", false, "realistic (larger, slower) voxel grid instead of the compact demo grid")
	f.IntVarP(&workers, "jobs", "j", runtime.NumCPU(), "parallel workers")
	return cmd
}
