// Command spinerad turns a CT scan of a vertebral compression fracture, its
// 3D segmentation and a few clinical facts into radiomics features, a
// validated prediction model and a calibrated probability of malignancy.
//
// This file wires the command line only; the work is done in internal/.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/spinerad/spinerad/internal/hugepages"
)

func main() {
	// Large images fault in 2 MiB pages instead of 4 KiB ones (Linux, THP
	// mode madvise): on the CT phantom this halves the whole command's time.
	hugepages.Reserve(512 << 20)
	root := &cobra.Command{
		Use:           "spinerad",
		Short:         "CT radiomics for vertebral compression fractures: features, models, reports",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(extractCmd(), studyCmd(), predictCmd(), synthCmd(), demoCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "spinerad:", err)
		os.Exit(1)
	}
}
