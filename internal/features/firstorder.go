package features

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/spinerad/spinerad/internal/pairwise"
)

// firstOrderFeatures lists PyRadiomics' firstorder features in output order
// (sorted get<Name>FeatureValue method names). X are the ROI intensities
// (array order z, y, x), Np their number, c = voxelArrayShift, p(g) the
// fraction of ROI voxels at discretised level g over the occupied levels.
var firstOrderFeatures = []Feature{
	// 10Percentile (IBSI QG58): P10 of X, NumPy linear percentile rule.
	{Name: "10Percentile", IBSI: "QG58"},
	// 90Percentile (IBSI 8DWT): P90 of X, NumPy linear percentile rule.
	{Name: "90Percentile", IBSI: "8DWT"},
	// Energy (IBSI N8CA): sum (x + c)^2.
	{Name: "Energy", IBSI: "N8CA"},
	// Entropy (IBSI TLU2): -sum_g p(g) log2(p(g) + eps).
	{Name: "Entropy", IBSI: "TLU2"},
	// InterquartileRange (IBSI SALO): P75 - P25.
	{Name: "InterquartileRange", IBSI: "SALO"},
	// Kurtosis (IBSI IPH6 + 3): m4 / m2^2 with central moments m_k = mean((x - mean)^k), m2 = 0 replaced by 1.
	{Name: "Kurtosis", IBSI: "IPH6"},
	// Maximum (IBSI 84IY): max X.
	{Name: "Maximum", IBSI: "84IY"},
	// MeanAbsoluteDeviation (IBSI 4FUA): mean |x - mean(X)|.
	{Name: "MeanAbsoluteDeviation", IBSI: "4FUA"},
	// Mean (IBSI Q4LE): sum X / Np.
	{Name: "Mean", IBSI: "Q4LE"},
	// Median (IBSI Y12H): middle value of sorted X, or mean of the two middle values.
	{Name: "Median", IBSI: "Y12H"},
	// Minimum (IBSI 1GSF): min X.
	{Name: "Minimum", IBSI: "1GSF"},
	// Range (IBSI 2OJQ): max X - min X.
	{Name: "Range", IBSI: "2OJQ"},
	// RobustMeanAbsoluteDeviation (IBSI 1128): mean |x - mean(K)| over K = {x : P10 <= x <= P90}.
	{Name: "RobustMeanAbsoluteDeviation", IBSI: "1128"},
	// RootMeanSquared (IBSI 5ZWQ): sqrt(sum (x + c)^2 / Np).
	{Name: "RootMeanSquared", IBSI: "5ZWQ"},
	// Skewness (IBSI KE2A): m3 / m2^1.5, m2 = 0 replaced by 1 (a flat ROI gives m3, i.e. 0).
	{Name: "Skewness", IBSI: "KE2A"},
	// StandardDeviation (no IBSI code; deprecated, output when named): sqrt(sum (x - mean)^2 / Np).
	{Name: "StandardDeviation", Deprecated: true},
	// TotalEnergy (no IBSI code): Energy * ((dx*dy)*dz).
	{Name: "TotalEnergy"},
	// Uniformity (IBSI BJ5W): sum_g p(g)^2.
	{Name: "Uniformity", IBSI: "BJ5W"},
	// Variance (IBSI ECT3): (population SD)^2 = (sqrt(sum (x - mean)^2 / Np))^2.
	{Name: "Variance", IBSI: "ECT3"},
}

func init() {
	register(&Class{Name: "firstorder", Features: firstOrderFeatures, Compute: computeFirstOrder})
}

// checkRegionSizes validates the size and array lengths of r (Levels too
// when needLevels is set) and returns the number of voxels.
func checkRegionSizes(r *Region, needLevels bool) (int, error) {
	if r == nil {
		return 0, errors.New("features: nil region")
	}
	n := 1
	for _, s := range r.Size {
		if s < 1 {
			return 0, fmt.Errorf("features: invalid region size %v", r.Size)
		}
		n *= s
	}
	if len(r.Values) != n || len(r.ROI) != n {
		return 0, fmt.Errorf("features: region of size %v needs %d values and ROI flags, got %d and %d",
			r.Size, n, len(r.Values), len(r.ROI))
	}
	if needLevels && len(r.Levels) != n {
		return 0, fmt.Errorf("features: region of size %v needs %d grey levels, got %d", r.Size, n, len(r.Levels))
	}
	return n, nil
}

// computeFirstOrder returns the values of firstOrderFeatures for r, following
// PyRadiomics' radiomics/firstorder.py with NumPy 1.24 arithmetic: sums are
// NumPy pairwise sums in array order, percentiles use NumPy's linear rule and
// powers 3 and 4 are rounded once, as a correctly rounded pow would.
func computeFirstOrder(r *Region, s *Settings) ([]float64, error) {
	n, err := checkRegionSizes(r, true)
	if err != nil {
		return nil, err
	}
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	sc := firstOrderPool.Get().(*firstOrderScratch)
	defer firstOrderPool.Put(sc)
	sc.x, sc.buf = growFloats(sc.x, n), growFloats(sc.buf, n)

	// One pass checks the ROI voxels and gathers their values in array
	// order, the histogram of occupied levels (np.unique with counts,
	// ascending) and the minimum and maximum (as Go's builtins: -0 < +0).
	counts := sc.counts[:0]
	fail := func(err error) ([]float64, error) {
		clear(counts) // the scratch starts zeroed next time
		sc.counts = counts
		return nil, err
	}
	x := sc.x
	k := 0
	mn, mx := math.Inf(1), math.Inf(-1)
	for i, in := range r.ROI {
		if !in {
			continue
		}
		v := r.Values[i]
		g := int(r.Levels[i])
		if g < 1 {
			return fail(fmt.Errorf("features: ROI voxel %d has grey level %d (levels start at 1)", i, g))
		}
		if v != v {
			return fail(fmt.Errorf("features: firstorder: NaN intensity at voxel %d", i))
		}
		x[k] = v
		k++
		if g >= len(counts) {
			counts = append(counts, make([]int32, g+1-len(counts))...)
		}
		counts[g]++
		if v < mn || (v == mn && math.Signbit(v)) {
			mn = v
		}
		if v > mx || (v == mx && !math.Signbit(v)) {
			mx = v
		}
	}
	if k == 0 {
		return fail(errors.New("features: empty ROI"))
	}
	sc.counts = counts
	nroi := k
	x, buf := x[:nroi], sc.buf[:nroi]
	nf := float64(nroi)
	ph := sc.ph[:0]
	for g, c := range counts {
		if c > 0 {
			ph = append(ph, float64(c)/nf)
		}
		counts[g] = 0 // the scratch starts zeroed next time
	}
	sc.ph = ph
	for i, p := range ph {
		buf[i] = p * log2NP(p+Eps)
	}
	entropy := -1.0 * pairwise.Sum(buf[:len(ph)])
	for i, p := range ph {
		buf[i] = p * p
	}
	uniformity := pairwise.Sum(buf[:len(ph)])

	// Energy, RMS: shifted intensities.
	c := s.VoxelArrayShift
	for i, v := range x {
		w := v + c
		buf[i] = w * w
	}
	energy := pairwise.Sum(buf)
	sp := r.Spacing
	totalEnergy := energy * (float64(sp[0]*sp[1]) * sp[2])
	rms := math.Sqrt(energy / nf)

	// Order statistics: only the ranks the percentiles need are selected.
	ost := newOrderStats(x, []float64{10, 25, 75, 90}, mn, mx, &sc.bucket)
	p10 := ost.percentile(10)
	p90 := ost.percentile(90)
	iqr := ost.percentile(75) - ost.percentile(25)
	median := (ost.at((nroi-1)/2) + ost.at(nroi/2)) / 2

	// Moments.
	mean := pairwise.Sum(x) / nf
	for i, v := range x {
		buf[i] = math.Abs(v - mean)
	}
	mad := pairwise.Sum(buf) / nf
	for i, v := range x {
		d := v - mean
		buf[i] = d * d
	}
	m2 := pairwise.Sum(buf) / nf // also np.nanstd's variance: same terms, same order
	sd := math.Sqrt(m2)
	for i, v := range x {
		buf[i] = cubeNP(v - mean)
	}
	m3 := pairwise.Sum(buf) / nf
	for i, v := range x {
		buf[i] = pow4NP(v - mean)
	}
	m4 := pairwise.Sum(buf) / nf
	if m2 == 0 {
		m2 = 1
	}
	skewness := m3 / (m2 * math.Sqrt(m2)) // np.power(m2, 1.5) to an ulp
	kurtosis := m4 / (m2 * m2)

	// Robust MAD: voxels outside [P10, P90] become NaN, i.e. 0 in NumPy's
	// nanmean sums, which keep the full array length and order.
	kept := 0
	for i, v := range x {
		in := b2u64(v-p10 >= 0) & b2u64(v-p90 <= 0) // x holds no NaN
		buf[i] = math.Float64frombits(math.Float64bits(v) & -in)
		kept += int(in)
	}
	rmad := math.NaN()
	if kept > 0 {
		kf := float64(kept)
		km := pairwise.Sum(buf) / kf
		for i, v := range x {
			in := b2u64(v-p10 >= 0) & b2u64(v-p90 <= 0)
			buf[i] = math.Float64frombits(math.Float64bits(math.Abs(v-km)) & -in)
		}
		rmad = pairwise.Sum(buf) / kf
	}

	return []float64{
		p10,              // 10Percentile
		p90,              // 90Percentile
		energy,           // Energy
		entropy,          // Entropy
		iqr,              // InterquartileRange
		kurtosis,         // Kurtosis
		mx,               // Maximum
		mad,              // MeanAbsoluteDeviation
		mean,             // Mean
		median,           // Median
		mn,               // Minimum
		mx - mn,          // Range
		rmad,             // RobustMeanAbsoluteDeviation
		rms,              // RootMeanSquared
		skewness,         // Skewness
		sd,               // StandardDeviation
		totalEnergy,      // TotalEnergy
		uniformity,       // Uniformity
		float64(sd * sd), // Variance
	}, nil
}

// percentileRank returns NumPy's linear-method position of percentile q in
// n sorted values: lower rank lo, upper rank min(lo+1, n-1) and fraction t,
// with h = (n-1)*(q/100), lo = floor(h), t = h - lo.
func percentileRank(n int, q float64) (lo, hi int, t float64) {
	h := float64(n-1) * (q / 100)
	f := math.Floor(h)
	lo = min(int(f), n-1)
	return lo, min(lo+1, n-1), h - f
}

// lerpNP is NumPy's _lerp(a, b, t): a + (b-a)*t if t < 0.5 else
// b - (b-a)*(1-t).
func lerpNP(a, b, t float64) float64 {
	d := b - a
	if t >= 0.5 {
		return b - float64(d*(1-t))
	}
	return a + float64(d*t)
}

// percentileNP is np.percentile(sorted, q) with the default "linear" method
// for ascending, NaN-free sorted values.
func percentileNP(sorted []float64, q float64) float64 {
	lo, hi, t := percentileRank(len(sorted), q)
	return lerpNP(sorted[lo], sorted[hi], t)
}

// orderStats gives the values of selected ranks of a sample without a full
// sort.
type orderStats struct {
	ranks []int     // prepared ranks, ascending, distinct
	vals  []float64 // their values
	n     int
}

// orderStatsBuckets is the histogram size of newOrderStats; samples shorter
// than orderStatsMinN use quickselect on the whole sample.
const (
	orderStatsBuckets = 4096
	orderStatsMinN    = 2048
)

// newOrderStats prepares the ranks needed by the percentiles qs (and the
// median) of x, whose minimum and maximum are mn and mx; x is not modified
// and *bucket is scratch. Large samples are bucketed by
// b(v) = floor((v - mn) * nb/(mx - mn)), which is non-decreasing in v, so
// the value of rank k is the (k - start of its bucket)-th smallest of its
// bucket: one counting pass (remembering each value's bucket), one pass
// gathering the few buckets needed, and quickselect within them.
func newOrderStats(x []float64, qs []float64, mn, mx float64, bucket *[]uint16) *orderStats {
	n := len(x)
	ranks := []int{(n - 1) / 2, n / 2}
	for _, q := range qs {
		lo, hi, _ := percentileRank(n, q)
		ranks = append(ranks, lo, hi)
	}
	sort.Ints(ranks)
	ranks = slices.Compact(ranks)
	o := &orderStats{ranks: ranks, vals: make([]float64, len(ranks)), n: n}
	if n < orderStatsMinN {
		o.selectRanks(slices.Clone(x), 0)
		return o
	}
	scale := orderStatsBuckets / (mx - mn)
	if !(scale > 0) || math.IsInf(scale, 0) {
		// All values equal, or a range too wide or narrow to scale.
		o.selectRanks(slices.Clone(x), 0)
		return o
	}
	if cap(*bucket) < n {
		*bucket = make([]uint16, n)
	}
	bk := (*bucket)[:n]
	var count [orderStatsBuckets + 1]int32
	for i, v := range x {
		b := min(int((v-mn)*scale), orderStatsBuckets-1)
		bk[i] = uint16(b)
		count[b]++
	}
	// start[b] as a running sum; mark the buckets holding wanted ranks.
	var slot [orderStatsBuckets]int8
	var starts []int
	var sizes []int
	r, start := 0, 0
	for b := 0; b < orderStatsBuckets && r < len(ranks); b++ {
		c := int(count[b])
		if ranks[r] < start+c {
			slot[b] = int8(len(starts) + 1)
			starts = append(starts, start)
			sizes = append(sizes, c)
			for r < len(ranks) && ranks[r] < start+c {
				r++
			}
		}
		start += c
	}
	total := 0
	for _, c := range sizes {
		total += c
	}
	all := make([]float64, total)
	groups := make([][]float64, len(starts))
	off := 0
	for i, c := range sizes {
		groups[i] = all[off : off : off+c]
		off += c
	}
	for i, b := range bk {
		if s := slot[b]; s != 0 {
			groups[s-1] = append(groups[s-1], x[i])
		}
	}
	for i, g := range groups {
		o.selectRanks(g, starts[i])
	}
	return o
}

// firstOrderScratch holds the per-call buffers of computeFirstOrder, reused
// through firstOrderPool: the ROI values, a work buffer, the level
// probabilities, the level counts
// (all zero between calls) and the order-statistics buckets.
type firstOrderScratch struct {
	x, buf []float64
	ph     []float64
	counts []int32
	bucket []uint16
}

var firstOrderPool = sync.Pool{New: func() any { return new(firstOrderScratch) }}

// growFloats returns b resliced to n, reallocated if its capacity is short;
// the contents are unspecified.
func growFloats(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// b2u64 is 1 for true and 0 for false.
func b2u64(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// selectRanks sets the values of the prepared ranks that fall in a, a
// reorderable slice holding the sample's ranks offset .. offset+len(a)-1.
func (o *orderStats) selectRanks(a []float64, offset int) {
	prev := -1 // a[:prev+1] is final
	for i, k := range o.ranks {
		k -= offset
		if k < 0 || k >= len(a) {
			continue
		}
		// a[prev+1:] holds the values >= a[prev]; select within it.
		selectKth(a[prev+1:], k-prev-1)
		o.vals[i] = a[k]
		prev = k
	}
}

// at returns the value of rank k (0-based, ascending); k must be one of the
// prepared ranks.
func (o *orderStats) at(k int) float64 {
	i, _ := slices.BinarySearch(o.ranks, k)
	return o.vals[i]
}

// percentile returns np.percentile(x, q) (linear method) for a prepared q.
func (o *orderStats) percentile(q float64) float64 {
	lo, hi, t := percentileRank(o.n, q)
	return lerpNP(o.at(lo), o.at(hi), t)
}

// selectKth reorders a so that a[k] is its k-th smallest value, with
// a[:k] <= a[k] <= a[k+1:] (quickselect, median-of-three pivot, Hoare
// partition; falls back to sorting the remaining range after many rounds).
func selectKth(a []float64, k int) {
	lo, hi := 0, len(a)-1
	for rounds := 0; hi > lo; rounds++ {
		if hi-lo < 16 || rounds > 64 {
			slices.Sort(a[lo : hi+1])
			return
		}
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		p := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < p {
				i++
			}
			for a[j] > p {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return // j < k < i: a[k] == p
		}
	}
}

// log2NP is the base-2 logarithm as log(x)/ln 2, which reproduces NumPy's
// log2 near 1 (log2(1 + eps) = 3.2034265038149176e-16, whereas math.Log2
// gives 3.33e-16 there) and agrees with it to an ulp or two elsewhere.
func log2NP(x float64) float64 { return math.Log(x) / math.Ln2 }

// cubeNP returns d^3 rounded once (double-double product), as the correctly
// rounded pow(d, 3) that np.power calls.
func cubeNP(d float64) float64 {
	h := d * d
	l := math.FMA(d, d, -h)
	hi := h * d
	e := math.FMA(h, d, -hi)
	return hi + (e + l*d)
}

// pow4NP returns d^4 rounded once (double-double product), as the correctly
// rounded pow(d, 4) that np.power calls.
func pow4NP(d float64) float64 {
	h := d * d
	l := math.FMA(d, d, -h)
	hi := h * h
	e := math.FMA(h, h, -hi)
	return hi + (e + 2*h*l)
}
