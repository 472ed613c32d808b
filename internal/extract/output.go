package extract

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// WriteCSV writes the result as PyRadiomics-style rows "feature,value"
// (header included), diagnostics first when withDiagnostics is set. Values
// use Python's float repr so files compare byte for byte with PyRadiomics'.
func WriteCSV(w io.Writer, r *Result, withDiagnostics bool) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"feature", "value"}); err != nil {
		return err
	}
	if withDiagnostics {
		for _, d := range r.Diagnostics {
			if err := cw.Write([]string{d.Name, d.Value}); err != nil {
				return err
			}
		}
	}
	for _, f := range r.Features {
		if err := cw.Write([]string{f.Name, FormatFloat(f.Value)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the result as one JSON object in output order; NaN and
// infinite values are written as null.
func WriteJSON(w io.Writer, r *Result, withDiagnostics bool) error {
	if _, err := io.WriteString(w, "{\n"); err != nil {
		return err
	}
	first := true
	emit := func(k, v string) error {
		sep := ",\n"
		if first {
			sep = ""
			first = false
		}
		kb, _ := json.Marshal(k)
		_, err := fmt.Fprintf(w, "%s  %s: %s", sep, kb, v)
		return err
	}
	if withDiagnostics {
		for _, d := range r.Diagnostics {
			vb, _ := json.Marshal(d.Value)
			if err := emit(d.Name, string(vb)); err != nil {
				return err
			}
		}
	}
	for _, f := range r.Features {
		v := "null"
		if !math.IsNaN(f.Value) && !math.IsInf(f.Value, 0) {
			v = FormatFloat(f.Value)
		}
		if err := emit(f.Name, v); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n}\n")
	return err
}
