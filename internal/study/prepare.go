package study

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// Column is one numeric predictor column derived from a clinical variable
// (a numeric variable gives one, a categorical variable one dummy per
// non-reference level, named as R names them: "sexM").
type Column struct {
	Name   string
	Var    Var
	Level  string // dummy level ("" for numeric)
	Values []float64
}

// clinicalColumns encodes a clinical variable over all rows. Numeric
// columns are transformed; text columns become dummies against the first
// level in sorted order (R's factor default).
func clinicalColumns(t *Table, v Var) ([]Column, []string, error) {
	if _, ok := t.Columns[v.Column]; !ok {
		return nil, nil, fmt.Errorf("clinical variable %q: no such column in %s", v.Column, t.Path)
	}
	if t.IsNumeric(v.Column) {
		x, err := t.Numeric(v.Column)
		if err != nil {
			return nil, nil, err
		}
		allNaN := true
		for i := range x {
			if math.IsNaN(x[i]) {
				continue
			}
			allNaN = false
			y, ok := v.Apply(x[i])
			if !ok {
				return nil, nil, fmt.Errorf("clinical variable %s: %s of %v (ID %s) is undefined; values must be > 0", v.Name(), v.Transform, x[i], t.IDs[i])
			}
			x[i] = y
		}
		if allNaN {
			return nil, nil, fmt.Errorf("clinical variable %s: every value is missing", v.Column)
		}
		return []Column{{Name: v.Name(), Var: v, Values: x}}, nil, nil
	}
	if v.Transform != "" {
		return nil, nil, fmt.Errorf("clinical variable %s: column %q is not numeric (e.g. %q), so the %s transform does not apply", v.Name(), v.Column, firstText(t.Columns[v.Column]), v.Transform)
	}
	levels := t.Levels(v.Column)
	if len(levels) < 2 {
		return nil, nil, fmt.Errorf("clinical variable %s: only one level (%s)", v.Column, strings.Join(levels, ""))
	}
	var cols []Column
	for _, l := range levels[1:] {
		x := make([]float64, len(t.IDs))
		for i, c := range t.Columns[v.Column] {
			switch {
			case c == "" || c == "NA":
				x[i] = math.NaN()
			case c == l:
				x[i] = 1
			}
		}
		cols = append(cols, Column{Name: v.Column + l, Var: v, Level: l, Values: x})
	}
	return cols, levels, nil
}

func firstText(cells []string) string {
	for _, c := range cells {
		if _, err := strconv.ParseFloat(c, 64); err != nil && c != "" {
			return c
		}
	}
	return ""
}

// outcome converts the outcome column to 0/1.
func outcome(t *Table, col, positive string) ([]float64, error) {
	cells, ok := t.Columns[col]
	if !ok {
		return nil, fmt.Errorf("no outcome column %q", col)
	}
	y := make([]float64, len(cells))
	values := map[string]int{}
	for i, c := range cells {
		if c == "" || c == "NA" {
			return nil, fmt.Errorf("outcome %q is missing for ID %s", col, t.IDs[i])
		}
		values[c]++
		if c == positive {
			y[i] = 1
		}
	}
	if len(values) < 2 {
		return nil, fmt.Errorf("outcome %q has a single class (%s): a prediction model needs events and non-events", col, keys(values))
	}
	if values[positive] == 0 {
		return nil, fmt.Errorf("outcome %q never takes the positive value %q (values: %s)", col, positive, keys(values))
	}
	if len(values) > 2 {
		return nil, fmt.Errorf("outcome %q has more than two values (%s)", col, keys(values))
	}
	return y, nil
}

func keys(m map[string]int) string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return strings.Join(k, ", ")
}

// split returns "train"/"validation" per row: from a column, or a seeded
// stratified random split with exactly round(frac * n_class) training rows
// per class.
func split(t *Table, col string, frac float64, y []float64, seed uint64) ([]string, error) {
	out := make([]string, len(y))
	if col != "" {
		cells, ok := t.Columns[col]
		if !ok {
			return nil, fmt.Errorf("no split column %q", col)
		}
		for i, c := range cells {
			switch strings.ToLower(c) {
			case "train", "training":
				out[i] = "train"
			case "validation", "valid", "test":
				out[i] = "validation"
			default:
				return nil, fmt.Errorf("split column %q, ID %s: %q is neither train nor validation", col, t.IDs[i], c)
			}
		}
		return out, nil
	}
	r := rand.New(rand.NewPCG(seed, 0x73706c6974))
	for class := 0.0; class <= 1; class++ {
		var idx []int
		for i, v := range y {
			if v == class {
				idx = append(idx, i)
			}
		}
		r.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		nTrain := int(math.Round(frac * float64(len(idx))))
		for k, i := range idx {
			if k < nTrain {
				out[i] = "train"
			} else {
				out[i] = "validation"
			}
		}
	}
	return out, nil
}

// rowsOf returns the row indices whose split equals name.
func rowsOf(split []string, name string) []int {
	var r []int
	for i, s := range split {
		if s == name {
			r = append(r, i)
		}
	}
	return r
}

func pick(x []float64, rows []int) []float64 {
	out := make([]float64, len(rows))
	for k, i := range rows {
		out[k] = x[i]
	}
	return out
}
