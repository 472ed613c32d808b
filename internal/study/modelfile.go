package study

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// ModelFormat identifies spinerad model files; ModelFormatVersion changes
// whenever the layout changes incompatibly.
const (
	ModelFormat        = "spinerad-model"
	ModelFormatVersion = 1
)

// ModelFile is the portable model (model.json): everything needed to score
// a new patient from a CT, a mask and the clinical variables.
type ModelFile struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	Software      string `json:"software"`
	Title         string `json:"title"`
	// Extraction holds the PyRadiomics parameter document (YAML) the
	// features were extracted with, and the ROI label.
	Extraction struct {
		Params string `json:"params"`
		Label  int    `json:"label"`
	} `json:"extraction"`
	Outcome struct {
		Column   string `json:"column"`
		Positive string `json:"positive"`
	} `json:"outcome"`
	// Clinical lists the clinical model terms with their encodings.
	Clinical []ClinicalTerm `json:"clinical"`
	// Radiomics is the rad-score: intercept + sum(coef_z * (x - mean)/sd).
	Radiomics struct {
		Intercept float64        `json:"intercept_z"`
		Lambda    float64        `json:"lambda"`
		Rule      string         `json:"rule"`
		Features  []RadiomicTerm `json:"features"`
	} `json:"radiomics"`
	// Models maps clinical, radiomics and combined to their coefficients.
	Models map[string]ModelCoefs `json:"models"`
	// Nomogram holds the combined model's point scale.
	Nomogram *NomogramScale `json:"nomogram,omitempty"`
	// Inputs hashes the study inputs (SHA-256 of the files).
	Inputs map[string]string `json:"inputs"`
	// Hash is the SHA-256 of the file's content without this field.
	Hash string `json:"hash"`
}

// ClinicalTerm is one clinical model term.
type ClinicalTerm struct {
	Name      string  `json:"name"`
	Column    string  `json:"column"`
	Transform string  `json:"transform,omitempty"`
	Level     string  `json:"level,omitempty"` // dummy of a categorical column
	TrainMin  float64 `json:"train_min"`
	TrainMax  float64 `json:"train_max"`
}

// RadiomicTerm is one selected feature of the rad-score.
type RadiomicTerm struct {
	Name     string  `json:"name"`
	Mean     float64 `json:"mean"`
	SD       float64 `json:"sd"`
	CoefZ    float64 `json:"coef_z"`
	TrainMin float64 `json:"train_min"`
	TrainMax float64 `json:"train_max"`
}

// ModelCoefs are a model's terms, coefficients (intercept first), the scale
// of its score and its Youden threshold on that scale.
type ModelCoefs struct {
	Terms      []string  `json:"terms"`
	Coef       []float64 `json:"coef"`
	ScoreScale string    `json:"score_scale"`
	Threshold  float64   `json:"threshold"`
}

// NomogramScale is the combined model's nomogram: points of a term value x
// are (coef*x - xbeta_min)*sc; total points T give lp = intercept + T/sc.
type NomogramScale struct {
	Sc        float64        `json:"sc"`
	Intercept float64        `json:"intercept"`
	Axes      []NomogramAxis `json:"axes"`
}

// NomogramAxis is one predictor's scale.
type NomogramAxis struct {
	Name     string  `json:"name"`
	Coef     float64 `json:"coef"`
	XBetaMin float64 `json:"xbeta_min"`
}

// ModelFile builds the portable model of the study.
func (r *Result) ModelFile(extractionParams string, label int, version string) (*ModelFile, error) {
	mf := &ModelFile{Format: ModelFormat, FormatVersion: ModelFormatVersion, Software: "spinerad " + version, Title: r.Config.Title, Models: map[string]ModelCoefs{}, Inputs: map[string]string{}}
	mf.Extraction.Params = extractionParams
	mf.Extraction.Label = label
	mf.Outcome.Column, mf.Outcome.Positive = r.Config.Outcome, r.Config.Positive
	train := rowsOf(r.Split, "train")
	for _, v := range r.ClinicalKept {
		for _, c := range r.ClinicalCols[v.Name()] {
			lo, hi := rangeOf(pick(c.Values, train))
			mf.Clinical = append(mf.Clinical, ClinicalTerm{Name: c.Name, Column: v.Column, Transform: v.Transform, Level: c.Level, TrainMin: lo, TrainMax: hi})
		}
	}
	mf.Radiomics.Intercept = r.RadIntercept
	mf.Radiomics.Lambda = r.Chosen.Lambda
	mf.Radiomics.Rule = r.Config.LassoRule
	for k, f := range r.Selected {
		j := r.Chosen.Selected[k]
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, i := range train {
			x := r.Z.At(i, j)*r.ZSD[j] + r.ZMean[j]
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		mf.Radiomics.Features = append(mf.Radiomics.Features, RadiomicTerm{f, r.ZMean[j], r.ZSD[j], r.SelectedCoefZ[k], lo, hi})
	}
	for _, name := range ModelNames {
		m, ok := r.Models[name]
		if !ok {
			continue
		}
		mf.Models[name] = ModelCoefs{Terms: m.Terms, Coef: m.Coef, ScoreScale: m.ScoreScale, Threshold: m.Threshold}
	}
	if nm := r.Nomogram; nm != nil {
		ns := &NomogramScale{Sc: nm.Sc, Intercept: nm.Intercept}
		for _, a := range nm.Axes {
			ns.Axes = append(ns.Axes, NomogramAxis{a.Name, a.Coef, a.XBetaMin})
		}
		mf.Nomogram = ns
	}
	for k, p := range map[string]string{"clinical": r.Config.Clinical, "features": r.Config.Features} {
		if p == "" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		s := sha256.Sum256(b)
		mf.Inputs[k] = hex.EncodeToString(s[:])
	}
	h, err := mf.contentHash()
	if err != nil {
		return nil, err
	}
	mf.Hash = h
	return mf, nil
}

func rangeOf(x []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi
}

func (mf *ModelFile) contentHash() (string, error) {
	c := *mf
	c.Hash = ""
	b, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}

// LoadModel reads and checks a model file: format, version and hash.
func LoadModel(path string) (*ModelFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var mf ModelFile
	if err := json.Unmarshal(b, &mf); err != nil {
		return nil, fmt.Errorf("%s: not a spinerad model file: %v", path, err)
	}
	if mf.Format != ModelFormat {
		return nil, fmt.Errorf("%s: not a spinerad model file (format %q)", path, mf.Format)
	}
	if mf.FormatVersion != ModelFormatVersion {
		return nil, fmt.Errorf("%s: model format version %d, this spinerad (%s) reads version %d: re-run the study with this version", path, mf.FormatVersion, mf.Software, ModelFormatVersion)
	}
	h, err := mf.contentHash()
	if err != nil {
		return nil, err
	}
	if h != mf.Hash {
		return nil, fmt.Errorf("%s: content hash mismatch: the file was modified after it was written", path)
	}
	return &mf, nil
}

// Prediction is the scoring of one patient.
type Prediction struct {
	RadScore float64
	// Prob, Class per model (class 1 when the score reaches the threshold).
	Prob  map[string]float64
	Class map[string]int
	// Points per nomogram axis and their total (combined model).
	Points      map[string]float64
	TotalPoints float64
	Warnings    []string
}

// Predict scores one patient from its radiomics features and clinical
// values (raw text as in the clinical CSV). Inputs outside their training
// range and missing inputs give warnings; a missing input makes the models
// that need it NaN.
func (mf *ModelFile) Predict(features map[string]float64, clinical map[string]string) (*Prediction, error) {
	p := &Prediction{Prob: map[string]float64{}, Class: map[string]int{}, Points: map[string]float64{}}
	rad := mf.Radiomics.Intercept
	for _, f := range mf.Radiomics.Features {
		x, ok := features[f.Name]
		if !ok || math.IsNaN(x) {
			return nil, fmt.Errorf("feature %s is missing", f.Name)
		}
		if x < f.TrainMin || x > f.TrainMax {
			p.Warnings = append(p.Warnings, fmt.Sprintf("feature %s = %g is outside its training range [%g, %g]", f.Name, x, f.TrainMin, f.TrainMax))
		}
		rad += f.CoefZ * ((x - f.Mean) / f.SD)
	}
	p.RadScore = rad
	values := map[string]float64{"radscore": rad}
	for _, c := range mf.Clinical {
		text, ok := clinical[c.Column]
		if !ok || text == "" || text == "NA" {
			p.Warnings = append(p.Warnings, fmt.Sprintf("clinical variable %s is missing", c.Column))
			values[c.Name] = math.NaN()
			continue
		}
		var x float64
		if c.Level != "" {
			if text == c.Level {
				x = 1
			}
		} else {
			v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
			if err != nil {
				return nil, fmt.Errorf("clinical variable %s: %q is not a number", c.Column, text)
			}
			t, ok := applyTransform(c.Transform, v)
			if !ok {
				return nil, fmt.Errorf("clinical variable %s: %s of %v is undefined", c.Column, c.Transform, v)
			}
			x = t
		}
		if x < c.TrainMin || x > c.TrainMax {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s = %g is outside its training range [%g, %g]", c.Name, x, c.TrainMin, c.TrainMax))
		}
		values[c.Name] = x
	}
	for _, name := range sortedKeys(mf.Models) {
		m := mf.Models[name]
		if name == "radiomics" {
			p.Prob[name] = plogis(rad)
			p.Class[name] = classOf(rad, m.Threshold)
			continue
		}
		eta := m.Coef[0]
		for j, term := range m.Terms {
			eta += m.Coef[j+1] * values[term]
		}
		prob := linkinv(eta)
		p.Prob[name] = prob
		if math.IsNaN(prob) {
			p.Class[name] = -1
		} else {
			p.Class[name] = classOf(prob, m.Threshold)
		}
	}
	if ns := mf.Nomogram; ns != nil {
		for _, a := range ns.Axes {
			pts := (a.Coef*values[a.Name] - a.XBetaMin) * ns.Sc
			p.Points[a.Name] = pts
			p.TotalPoints += pts
		}
	}
	return p, nil
}

func classOf(score, threshold float64) int {
	if score >= threshold {
		return 1
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
