package study

import (
	"fmt"
	"math"
	"strconv"

	"github.com/spinerad/spinerad/internal/stats/decision"
	"github.com/spinerad/spinerad/internal/stats/hypothesis"
	"github.com/spinerad/spinerad/internal/stats/nomogram"
)

// Utility is a model's decision curve in one cohort.
type Utility struct {
	Model, Cohort string
	Curve         *decision.Curve
}

// BaselineRow is one line of the baseline-characteristics table.
type BaselineRow struct {
	Comparison     string // "cohort" (train vs validation) or "outcome" (train: event vs none)
	Variable       string
	Level          string // categorical level ("" for continuous)
	Group0, Group1 string // formatted summaries
	Test           string
	Statistic      float64
	P              float64
}

// utility computes decision curves, clinical impact and net reduction for
// every model and cohort (thresholds 0.01..0.99).
func (r *Result) utility() error {
	th := decision.DefaultThresholds()
	for _, cohort := range Cohorts {
		for _, name := range ModelNames {
			m, ok := r.Models[name]
			if !ok {
				continue
			}
			rows := complete(rowsOf(r.Split, cohort), m.Prob)
			c, err := decision.DecisionCurve(pick(r.Y, rows), pick(m.Prob, rows), th)
			if err != nil {
				return fmt.Errorf("%s model, %s decision curve: %w", name, cohort, err)
			}
			r.Utility = append(r.Utility, Utility{name, cohort, c})
		}
	}
	return nil
}

// buildNomogram scales the combined model as rms::nomogram does.
func (r *Result) buildNomogram() error {
	m := r.Models["combined"]
	train := complete(rowsOf(r.Split, "train"), m.Prob)
	cols := r.modelColumns("combined")
	model := nomogram.Model{Intercept: m.Coef[0]}
	for j, c := range cols {
		model.Predictors = append(model.Predictors, nomogram.Predictor{Name: c.Name, Coef: m.Coef[j+1], Train: pick(c.Values, train)})
	}
	nm, err := nomogram.Build(model, nomogram.Options{MaxScale: 100, NInt: 10, FunAt: []float64{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}})
	if err != nil {
		return fmt.Errorf("nomogram: %w", err)
	}
	r.Nomogram = nm
	return nil
}

// baseline builds the baseline-characteristics table: train vs validation
// (all rows) and event vs no event (training rows), for every candidate
// clinical variable in its raw form. Continuous variables: mean ± SD and
// median (IQR), Wilcoxon rank-sum test (Welch t-test p also given);
// categorical (text, or at most two distinct numbers): n (%), chi-square with
// Yates' correction, or Fisher's exact test when an expected count is below 5.
func (r *Result) baseline(t *Table) error {
	all := make([]int, len(r.IDs))
	for i := range all {
		all[i] = i
	}
	train := rowsOf(r.Split, "train")
	comparisons := []struct {
		name   string
		rows   []int
		group  func(i int) int
		labels [2]string
	}{
		{"cohort", all, func(i int) int {
			if r.Split[i] == "train" {
				return 0
			}
			return 1
		}, [2]string{"train", "validation"}},
		{"outcome", train, func(i int) int { return int(r.Y[i]) }, [2]string{"outcome 0", "outcome 1"}},
	}
	seen := map[string]bool{}
	for _, cmp := range comparisons {
		for _, v := range r.Candidates {
			col := v.Column
			if seen[cmp.name+col] {
				continue
			}
			seen[cmp.name+col] = true
			levels := t.Levels(col)
			if t.IsNumeric(col) && len(levels) > 2 {
				x, _ := t.Numeric(col)
				var g [2][]float64
				for _, i := range cmp.rows {
					g[cmp.group(i)] = append(g[cmp.group(i)], x[i])
				}
				c, err := hypothesis.CompareContinuous(g[0], g[1])
				if err != nil {
					return fmt.Errorf("baseline table, %s: %w", col, err)
				}
				r.Baseline = append(r.Baseline,
					BaselineRow{cmp.name, col, "mean ± SD", fmtMeanSD(c.Group0), fmtMeanSD(c.Group1), "Welch t-test", c.Welch.T, c.Welch.P},
					BaselineRow{cmp.name, col, "median (IQR)", fmtMedian(c.Group0), fmtMedian(c.Group1), "Wilcoxon rank-sum", c.Wilcoxon.W, c.Wilcoxon.P})
				if n := c.Group0.NMissing + c.Group1.NMissing; n > 0 {
					r.Baseline = append(r.Baseline, BaselineRow{cmp.name, col, "missing", strconv.Itoa(c.Group0.NMissing), strconv.Itoa(c.Group1.NMissing), "", math.NaN(), math.NaN()})
				}
				continue
			}
			var groups [2][]string
			for _, i := range cmp.rows {
				groups[cmp.group(i)] = append(groups[cmp.group(i)], t.Columns[col][i])
			}
			counts, err := hypothesis.CrossTab(levels, groups[0], groups[1])
			if err != nil {
				return fmt.Errorf("baseline table, %s: %w", col, err)
			}
			c, err := hypothesis.CompareCategorical(counts)
			if err != nil {
				return fmt.Errorf("baseline table, %s: %w", col, err)
			}
			test, stat, p := "chi-square (Yates)", c.ChiSqYates.Statistic, c.ChiSqYates.P
			if len(levels) > 2 {
				test = "chi-square"
			}
			if c.ChiSqYates.LowExpected && c.Fisher != nil {
				test, stat, p = "Fisher's exact", c.Fisher.OddsRatio, c.Fisher.P
			}
			for li, l := range levels {
				row := BaselineRow{cmp.name, col, l, fmtCount(counts[li][0], c.ColumnPercent[li][0]), fmtCount(counts[li][1], c.ColumnPercent[li][1]), "", math.NaN(), math.NaN()}
				if li == 0 {
					row.Test, row.Statistic, row.P = test, stat, p
				}
				r.Baseline = append(r.Baseline, row)
			}
		}
	}
	return nil
}

func fmtMeanSD(s hypothesis.Summary) string {
	return fmt.Sprintf("%.4g ± %.3g", s.Mean, s.SD)
}

func fmtMedian(s hypothesis.Summary) string {
	return fmt.Sprintf("%.4g (%.4g–%.4g)", s.Median, s.Q1, s.Q3)
}

func fmtCount(n int, pct float64) string {
	return fmt.Sprintf("%d (%.1f%%)", n, pct)
}

// extraTables returns the tables of the clinical-utility, nomogram and
// baseline parts.
func (r *Result) extraTables() []*ResultTable {
	dca := &ResultTable{Name: "dca", Header: []string{"model", "cohort", "threshold", "tp", "fp", "net_benefit", "treat_all", "treat_none"}}
	cic := &ResultTable{Name: "clinical_impact", Header: []string{"model", "cohort", "threshold", "high_risk_per_1000", "high_risk_with_event_per_1000"}}
	nr := &ResultTable{Name: "net_reduction", Header: []string{"model", "cohort", "threshold", "net_reduction_per_100"}}
	for _, u := range r.Utility {
		for _, p := range u.Curve.Points {
			dca.add(u.Model, u.Cohort, p.Threshold, p.TP, p.FP, p.NetBenefit, p.TreatAll, p.TreatNone)
			cic.add(u.Model, u.Cohort, p.Threshold, p.CICHighRiskPer1000, p.CICHighRiskWithEventPer1000)
			nr.add(u.Model, u.Cohort, p.Threshold, p.NetReductionPer100)
		}
	}
	nom := &ResultTable{Name: "nomogram", Header: []string{"axis", "value", "points"}}
	if nm := r.Nomogram; nm != nil {
		for _, a := range nm.Axes {
			for k := range a.Values {
				nom.add(a.Name, a.Values[k], a.Points[k])
			}
		}
		for _, tp := range nm.TotalPointsAxis {
			nom.add("total_points", tp, tp)
		}
		for k, lp := range nm.LPAxis {
			nom.add("linear_predictor", lp, nm.LPAxisPoints[k])
		}
		for k, p := range nm.FunAt {
			nom.add("probability", p, nm.FunPointsExact[k])
		}
	}
	base := &ResultTable{Name: "baseline", Header: []string{"comparison", "variable", "level", "group0", "group1", "test", "statistic", "p"}}
	for _, b := range r.Baseline {
		base.add(b.Comparison, b.Variable, b.Level, b.Group0, b.Group1, b.Test, b.Statistic, b.P)
	}
	out := []*ResultTable{dca, cic, nr, nom, base}
	if len(r.ICC) > 0 {
		it := &ResultTable{Name: "icc", Header: []string{"feature", "icc", "f", "df1", "df2", "p", "lower", "upper"}}
		for _, c := range r.ICC {
			it.add(c.Feature, c.Row.ICC, c.Row.F, c.Row.DF1, c.Row.DF2, c.Row.P, c.Row.Lower, c.Row.Upper)
		}
		out = append(out, it)
	}
	return out
}
