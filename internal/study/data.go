package study

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Table is a CSV file held as columns of text, keyed by ID.
type Table struct {
	Path    string
	Header  []string
	IDs     []string
	Columns map[string][]string
}

// ReadTable reads a CSV with a header row and an ID column. Missing or
// duplicate IDs and ragged rows are errors naming the file and the row.
func ReadTable(path, idCol string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 0
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	idIdx := -1
	seen := map[string]bool{}
	for i, h := range header {
		if seen[h] {
			return nil, fmt.Errorf("%s: column %q appears twice", path, h)
		}
		seen[h] = true
		if h == idCol {
			idIdx = i
		}
	}
	if idIdx < 0 {
		return nil, fmt.Errorf("%s: no ID column %q (columns: %s)", path, idCol, strings.Join(header, ", "))
	}
	t := &Table{Path: path, Header: header, Columns: map[string][]string{}}
	ids := map[string]int{}
	line := 1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		id := strings.TrimSpace(rec[idIdx])
		if id == "" {
			return nil, fmt.Errorf("%s: line %d has an empty ID", path, line)
		}
		if prev, dup := ids[id]; dup {
			return nil, fmt.Errorf("%s: ID %q appears twice (lines %d and %d)", path, id, prev, line)
		}
		ids[id] = line
		t.IDs = append(t.IDs, id)
		for i, h := range header {
			t.Columns[h] = append(t.Columns[h], strings.TrimSpace(rec[i]))
		}
	}
	if len(t.IDs) == 0 {
		return nil, fmt.Errorf("%s: no data rows", path)
	}
	return t, nil
}

// Join merges b into a on their IDs (inner join in a's row order). IDs
// present in only one file are reported in the returned warning list; the
// join fails when no ID is shared. Columns of b already in a are checked to
// agree.
func Join(a, b *Table) (*Table, []string, error) {
	idx := map[string]int{}
	for i, id := range b.IDs {
		idx[id] = i
	}
	var warnings []string
	out := &Table{Path: a.Path + "+" + b.Path, Header: append([]string(nil), a.Header...), Columns: map[string][]string{}}
	var onlyA []string
	var rowsA, rowsB []int
	inA := map[string]bool{}
	for i, id := range a.IDs {
		inA[id] = true
		j, ok := idx[id]
		if !ok {
			onlyA = append(onlyA, id)
			continue
		}
		rowsA = append(rowsA, i)
		rowsB = append(rowsB, j)
		out.IDs = append(out.IDs, id)
	}
	var onlyB []string
	for _, id := range b.IDs {
		if !inA[id] {
			onlyB = append(onlyB, id)
		}
	}
	if len(out.IDs) == 0 {
		return nil, nil, fmt.Errorf("%s and %s share no ID", a.Path, b.Path)
	}
	if len(onlyA) > 0 {
		warnings = append(warnings, fmt.Sprintf("%d ID(s) only in %s, left out: %s", len(onlyA), a.Path, abbreviate(onlyA)))
	}
	if len(onlyB) > 0 {
		warnings = append(warnings, fmt.Sprintf("%d ID(s) only in %s, left out: %s", len(onlyB), b.Path, abbreviate(onlyB)))
	}
	for _, h := range a.Header {
		col := a.Columns[h]
		v := make([]string, len(rowsA))
		for k, i := range rowsA {
			v[k] = col[i]
		}
		out.Columns[h] = v
	}
	for _, h := range b.Header {
		col := b.Columns[h]
		v := make([]string, len(rowsB))
		for k, j := range rowsB {
			v[k] = col[j]
		}
		if prev, dup := out.Columns[h]; dup {
			for k := range v {
				if prev[k] != v[k] {
					return nil, nil, fmt.Errorf("column %q is in both %s and %s with different values (ID %s: %q vs %q)", h, a.Path, b.Path, out.IDs[k], prev[k], v[k])
				}
			}
			continue
		}
		out.Header = append(out.Header, h)
		out.Columns[h] = v
	}
	return out, warnings, nil
}

func abbreviate(ids []string) string {
	if len(ids) > 8 {
		return strings.Join(ids[:8], ", ") + ", ..."
	}
	return strings.Join(ids, ", ")
}

// Numeric parses a column as numbers; empty cells and NA become NaN. A cell
// that is not a number is an error naming the column, the ID and the cell.
func (t *Table) Numeric(col string) ([]float64, error) {
	cells, ok := t.Columns[col]
	if !ok {
		return nil, fmt.Errorf("%s: no column %q", t.Path, col)
	}
	out := make([]float64, len(cells))
	for i, c := range cells {
		if c == "" || c == "NA" || c == "NaN" || c == "nan" {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(c, 64)
		if err != nil || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: column %q, ID %s: %q is not a number", t.Path, col, t.IDs[i], c)
		}
		out[i] = v
	}
	return out, nil
}

// IsNumeric reports whether every non-empty cell of col parses as a number.
func (t *Table) IsNumeric(col string) bool {
	for _, c := range t.Columns[col] {
		if c == "" || c == "NA" {
			continue
		}
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return false
		}
	}
	return true
}

// Levels returns the sorted distinct non-empty values of a column (R's
// factor levels).
func (t *Table) Levels(col string) []string {
	set := map[string]bool{}
	for _, c := range t.Columns[col] {
		if c != "" && c != "NA" {
			set[c] = true
		}
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// FeatureColumns returns the columns matching the pattern, in file order.
func (t *Table) FeatureColumns(pattern string) ([]string, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range t.Header {
		if re.MatchString(h) {
			out = append(out, h)
		}
	}
	return out, nil
}
