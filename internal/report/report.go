// Package report writes the outputs of a study into an output directory:
// tables/*.csv, figures/* (SVG, PNG at 300 dpi, PDF), a self-contained
// report.html and the portable model.json. Everything is first written into
// a temporary sibling directory that replaces OUTDIR only when complete, so a
// failure never leaves a half-written OUTDIR.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spinerad/spinerad/internal/report/figures"
	"github.com/spinerad/spinerad/internal/safefile"
	"github.com/spinerad/spinerad/internal/study"
)

// Meta describes the run for the report's methods section.
type Meta struct {
	// Version is spinerad's version.
	Version string
	// Synthetic marks reports of synthetic data (a banner on every page).
	Synthetic bool
	// ExtractionParams is the PyRadiomics parameter document of the features.
	ExtractionParams string
	// ExtractionLabel is the ROI label.
	ExtractionLabel int
	// Command is the command line that produced the report.
	Command string
}

// Write writes every output of r into outDir (created or replaced).
func Write(outDir string, r *study.Result, meta Meta) error {
	parent := filepath.Dir(filepath.Clean(outDir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(outDir)+".partial-*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := writeAll(tmp, r, meta); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	// Swap the finished directory into place.
	var old string
	if _, err := os.Stat(outDir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(outDir, old); err != nil {
			return fmt.Errorf("%s: cannot replace: %w", outDir, err)
		}
	}
	if err := os.Rename(tmp, outDir); err != nil {
		if old != "" {
			os.Rename(old, outDir)
		}
		return err
	}
	ok = true
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

func writeAll(dir string, r *study.Result, meta Meta) error {
	tdir := filepath.Join(dir, "tables")
	fdir := filepath.Join(dir, "figures")
	for _, d := range []string{tdir, fdir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	for _, t := range r.Tables() {
		if err := safefile.Write(filepath.Join(tdir, t.Name+".csv"), t.Encode); err != nil {
			return err
		}
	}
	figs, err := writeFigures(fdir, r)
	if err != nil {
		return err
	}
	mf, err := r.ModelFile(meta.ExtractionParams, meta.ExtractionLabel, meta.Version)
	if err != nil {
		return err
	}
	if err := safefile.Write(filepath.Join(dir, "model.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(mf)
	}); err != nil {
		return err
	}
	return safefile.Write(filepath.Join(dir, "report.html"), func(w io.Writer) error {
		return writeHTML(w, r, mf, meta, fdir, figs)
	})
}

// figure is one figure of the report.
type figure struct {
	Name    string // file stem in figures/
	Section string
	Caption string
}

func inlineSVG(dir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, name+".svg"))
	if err != nil {
		return "", err
	}
	s := string(b)
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	return s, nil
}

var _ = figures.Output{}
