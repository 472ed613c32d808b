package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spinerad/spinerad/internal/extract"
	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/safefile"
	"github.com/spinerad/spinerad/internal/study"
)

func predictCmd() *cobra.Command {
	var (
		modelPath, image, mask, batch, out, format, clinicalPath string
		sets                                                     []string
		label                                                    int
	)
	cmd := &cobra.Command{
		Use:   "predict -m model.json (--image CT --mask MASK --set VAR=VALUE ... | --batch cases.csv)",
		Short: "Score new patients with a model from 'spinerad study'",
		Long: `Score new patients: rad-score, probability of each model, class at the
model's threshold, nomogram points per variable and in total, and warnings
for inputs outside their training range or missing.

--batch takes a CSV with an ID column (ID, id or patient_id), the clinical
columns the model needs (or --clinical FILE joined on the ID), and either
Image and Mask columns (features are extracted with the model's parameters)
or the selected feature columns.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if modelPath == "" {
				return fmt.Errorf("-m model.json is required")
			}
			mf, err := study.LoadModel(modelPath)
			if err != nil {
				return err
			}
			params, err := extract.ParseParams([]byte(mf.Extraction.Params))
			if err != nil {
				return fmt.Errorf("%s: extraction parameters: %w", modelPath, err)
			}
			if cmd.Flags().Changed("label") {
				if err := params.Override(fmt.Sprintf("label:%d", label)); err != nil {
					return err
				}
			}
			var rows []predRow
			if batch != "" {
				if rows, err = predictBatch(mf, params, batch, clinicalPath); err != nil {
					return err
				}
			} else {
				if image == "" || mask == "" {
					return fmt.Errorf("give --image and --mask, or --batch")
				}
				clin := map[string]string{}
				for _, s := range sets {
					k, v, ok := strings.Cut(s, "=")
					if !ok {
						return fmt.Errorf("--set %q: expected VAR=VALUE", s)
					}
					clin[strings.TrimSpace(k)] = strings.TrimSpace(v)
				}
				feats, err := extractFeatures(params, image, mask)
				if err != nil {
					return err
				}
				p, err := mf.Predict(feats, clin)
				if err != nil {
					return err
				}
				rows = []predRow{{ID: filepath.Base(image), P: p}}
			}
			for _, r := range rows {
				for _, w := range r.P.Warnings {
					fmt.Fprintf(os.Stderr, "warning: %s: %s\n", r.ID, w)
				}
			}
			write := func(w io.Writer) error {
				if format == "json" {
					return writePredJSON(w, mf, rows)
				}
				return writePredCSV(w, mf, rows)
			}
			if out == "" {
				return write(os.Stdout)
			}
			return safefile.Write(out, write)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&modelPath, "model", "m", "", "model.json from spinerad study")
	f.StringVar(&image, "image", "", "CT image (NIfTI or NRRD)")
	f.StringVar(&mask, "mask", "", "mask of the fractured vertebral body")
	f.StringArrayVar(&sets, "set", nil, "clinical value, VAR=VALUE (repeatable), e.g. --set ca125=35.2")
	f.StringVar(&batch, "batch", "", "CSV of patients to score")
	f.StringVar(&clinicalPath, "clinical", "", "with --batch: a CSV of clinical values joined on the ID (e.g. the clinical.csv of a cohort)")
	f.IntVar(&label, "label", 1, "label of the ROI in the mask")
	f.StringVarP(&out, "out", "o", "", "output file (default: standard output)")
	f.StringVar(&format, "format", "csv", "csv or json")
	return cmd
}

type predRow struct {
	ID string
	P  *study.Prediction
}

func extractFeatures(p *extract.Params, image, mask string) (map[string]float64, error) {
	img, err := imageio.Read(image)
	if err != nil {
		return nil, err
	}
	m, err := imageio.Read(mask)
	if err != nil {
		return nil, err
	}
	q := *p
	q.NoDiagnostics = true // features only
	res, err := q.Execute(img, m)
	if err != nil {
		return nil, fmt.Errorf("%s with %s: %w", image, mask, err)
	}
	out := make(map[string]float64, len(res.Features))
	for _, f := range res.Features {
		out[f.Name] = f.Value
	}
	return out, nil
}

// readKeyed reads a CSV and finds its ID column (ID, id or patient_id).
func readKeyed(path string) (recs [][]string, col map[string]int, idCol int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	defer f.Close()
	recs, err = csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %v", path, err)
	}
	if len(recs) < 2 {
		return nil, nil, 0, fmt.Errorf("%s: no patients", path)
	}
	col = map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, name := range []string{"ID", "id", "patient_id"} {
		if i, ok := col[name]; ok {
			return recs, col, i, nil
		}
	}
	return nil, nil, 0, fmt.Errorf("%s: no ID column (ID, id or patient_id)", path)
}

func predictBatch(mf *study.ModelFile, params *extract.Params, path, clinicalPath string) ([]predRow, error) {
	recs, col, idCol, err := readKeyed(path)
	if err != nil {
		return nil, err
	}
	extra := map[string]map[string]string{}
	if clinicalPath != "" {
		crecs, ccol, cid, err := readKeyed(clinicalPath)
		if err != nil {
			return nil, err
		}
		for _, rec := range crecs[1:] {
			m := map[string]string{}
			for name, i := range ccol {
				m[name] = rec[i]
			}
			extra[rec[cid]] = m
		}
	}
	_, hasImg := col["Image"]
	_, hasMask := col["Mask"]
	dir := filepath.Dir(path)
	resolve := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return filepath.Join(dir, p)
	}
	var rows []predRow
	for _, rec := range recs[1:] {
		id := rec[idCol]
		clin := map[string]string{}
		if clinicalPath != "" {
			m, ok := extra[id]
			if !ok {
				return nil, fmt.Errorf("patient %s is not in %s", id, clinicalPath)
			}
			for k, v := range m {
				clin[k] = v
			}
		}
		for name, i := range col {
			clin[name] = rec[i]
		}
		var feats map[string]float64
		if hasImg && hasMask {
			if feats, err = extractFeatures(params, resolve(rec[col["Image"]]), resolve(rec[col["Mask"]])); err != nil {
				return nil, fmt.Errorf("patient %s: %w", id, err)
			}
		} else {
			feats = map[string]float64{}
			for _, t := range mf.Radiomics.Features {
				i, ok := col[t.Name]
				if !ok {
					return nil, fmt.Errorf("%s: no Image/Mask columns and no feature column %s", path, t.Name)
				}
				v, err := strconv.ParseFloat(rec[i], 64)
				if err != nil {
					return nil, fmt.Errorf("%s: patient %s, %s: %q is not a number", path, id, t.Name, rec[i])
				}
				feats[t.Name] = v
			}
		}
		p, err := mf.Predict(feats, clin)
		if err != nil {
			return nil, fmt.Errorf("patient %s: %w", id, err)
		}
		rows = append(rows, predRow{id, p})
	}
	return rows, nil
}

var predModels = []string{"clinical", "radiomics", "combined"}

func predHeader(mf *study.ModelFile) []string {
	h := []string{"id", "radscore"}
	for _, m := range predModels {
		if _, ok := mf.Models[m]; ok {
			h = append(h, m, m+"_class")
		}
	}
	if mf.Nomogram != nil {
		for _, a := range mf.Nomogram.Axes {
			h = append(h, "points_"+a.Name)
		}
		h = append(h, "total_points")
	}
	return append(h, "warnings")
}

func fnum(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func writePredCSV(w io.Writer, mf *study.ModelFile, rows []predRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(predHeader(mf)); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.ID, fnum(r.P.RadScore)}
		for _, m := range predModels {
			if _, ok := mf.Models[m]; ok {
				cls := strconv.Itoa(r.P.Class[m])
				if r.P.Class[m] < 0 {
					cls = "NA"
				}
				rec = append(rec, fnum(r.P.Prob[m]), cls)
			}
		}
		if mf.Nomogram != nil {
			for _, a := range mf.Nomogram.Axes {
				rec = append(rec, fnum(r.P.Points[a.Name]))
			}
			rec = append(rec, fnum(r.P.TotalPoints))
		}
		rec = append(rec, strings.Join(r.P.Warnings, "; "))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writePredJSON(w io.Writer, mf *study.ModelFile, rows []predRow) error {
	type js struct {
		ID          string             `json:"id"`
		RadScore    float64            `json:"radscore"`
		Probability map[string]float64 `json:"probability"`
		Class       map[string]int     `json:"class"`
		Points      map[string]float64 `json:"nomogram_points,omitempty"`
		TotalPoints float64            `json:"total_points"`
		Warnings    []string           `json:"warnings"`
	}
	var out []js
	for _, r := range rows {
		out = append(out, js{r.ID, r.P.RadScore, r.P.Prob, r.P.Class, r.P.Points, r.P.TotalPoints, r.P.Warnings})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
