package filters

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// waveletBank holds the decomposition filters of one PyWavelets wavelet, in
// double precision (used for every image type except float32) and in single
// precision exactly as PyWavelets builds its float tables (used for float32
// images).
type waveletBank struct {
	name         string
	decLo, decHi []float64
	decLo32      []float32
	decHi32      []float32
}

// pywtSqrt2 is PyWavelets' sqrt2 constant (the double nearest to sqrt(2)); the
// coiflet tables are stored divided by it.
const pywtSqrt2 = 1.4142135623730951454746218587388284504413604736328125

// altSign is PyWavelets' "(k % 2) ? -1 : 1".
func altSign(k int) float64 {
	if k%2 != 0 {
		return -1
	}
	return 1
}

// orthBank builds the filters of an orthogonal family (db, sym, coif, dmey)
// from PyWavelets' table t the way wavelets.c does:
// dec_lo[i] = t[F-1-i]*scale, dec_hi[i] = (-1)^(F-1-i) * t[i]*scale.
// PyWavelets' float tables hold float(t) (the double rounded to float) and,
// for coiflets, the product with the float sqrt2 is computed in float, which
// is why coif1's float dec_lo[3] is not the rounding of the double tap.
func orthBank(name string, t []float64, coif bool) *waveletBank {
	f := len(t)
	b := &waveletBank{name: name, decLo: make([]float64, f), decHi: make([]float64, f),
		decLo32: make([]float32, f), decHi32: make([]float32, f)}
	s2 := float64(pywtSqrt2)
	s2f := float32(s2)
	for i := 0; i < f; i++ {
		lo, hi := t[f-1-i], t[i]
		sg := altSign(f - 1 - i)
		lo32, hi32 := float32(lo), float32(hi)
		if coif {
			b.decLo[i] = lo * s2
			b.decHi[i] = sg * hi * s2
			b.decLo32[i] = lo32 * s2f
			b.decHi32[i] = float32(sg) * hi32 * s2f
		} else {
			b.decLo[i] = lo
			b.decHi[i] = sg * hi
			b.decLo32[i] = lo32
			b.decHi32[i] = float32(sg) * hi32
		}
	}
	return b
}

// biorBank builds biorN.M (rbio = false) or rbioN.M (rbio = true) as
// wavelets.c does: with F the filter length, n = Mmax - M, rec_lo[i] =
// biorN_0[i+n], dec_lo[i] = biorN_M[F-1-i], dec_hi[i] = (-1)^(F-1-i) *
// biorN_0[i+n]; rbio swaps the decomposition and reconstruction filters and
// reverses them, giving dec_lo[i] = biorN_0[F-1-i+n] and dec_hi[i] =
// (-1)^(F-1-i) * biorN_M[i].
func biorBank(name string, n, m int, rbio bool) (*waveletBank, error) {
	var set [][]float64
	var mIdx, mMax int
	bad := fmt.Errorf("filters: no biorthogonal wavelet %d.%d", n, m)
	switch n {
	case 1:
		if m%2 != 1 || m > 5 {
			return nil, bad
		}
		set, mIdx, mMax = pywtBior1, m/2, 5
	case 2:
		if m%2 != 0 || m < 2 || m > 8 {
			return nil, bad
		}
		set, mIdx, mMax = pywtBior2, m/2-1, 8
	case 3:
		if m%2 != 1 || m > 9 {
			return nil, bad
		}
		set, mIdx, mMax = pywtBior3, m/2, 9
	case 4, 5:
		if m != n {
			return nil, bad
		}
		if n == 4 {
			set = pywtBior4
		} else {
			set = pywtBior5
		}
		mIdx, mMax = 0, m
	case 6:
		if m != 8 {
			return nil, bad
		}
		set, mIdx, mMax = pywtBior6, 0, 8
	default:
		return nil, bad
	}
	f := 2*m + 2
	if n == 1 {
		f = 2 * m
	}
	off := mMax - m
	primal, dual := set[0], set[mIdx+1]
	b := &waveletBank{name: name, decLo: make([]float64, f), decHi: make([]float64, f),
		decLo32: make([]float32, f), decHi32: make([]float32, f)}
	for i := 0; i < f; i++ {
		var lo, hi float64
		sg := altSign(f - 1 - i)
		if rbio {
			lo, hi = primal[f-1-i+off], dual[i]
		} else {
			lo, hi = dual[f-1-i], primal[i+off]
		}
		b.decLo[i] = lo
		b.decHi[i] = sg * hi
		b.decLo32[i] = float32(lo)
		b.decHi32[i] = float32(sg) * float32(hi)
	}
	return b, nil
}

// biorOrders lists PyWavelets' biorthogonal (and reverse biorthogonal) orders.
var biorOrders = []string{"1.1", "1.3", "1.5", "2.2", "2.4", "2.6", "2.8", "3.1", "3.3", "3.5", "3.7", "3.9", "4.4", "5.5", "6.8"}

// Wavelets returns the names of every discrete wavelet PyWavelets 1.1.1 knows
// (pywt.wavelist(kind='discrete')), in PyWavelets' order.
func Wavelets() []string {
	var names []string
	names = append(names, "haar", "dmey")
	for i := 1; i <= len(pywtDB); i++ {
		names = append(names, "db"+strconv.Itoa(i))
	}
	for i := 2; i < 2+len(pywtSym); i++ {
		names = append(names, "sym"+strconv.Itoa(i))
	}
	for i := 1; i <= len(pywtCoif); i++ {
		names = append(names, "coif"+strconv.Itoa(i))
	}
	for _, o := range biorOrders {
		names = append(names, "bior"+o, "rbio"+o)
	}
	// pywt.wavelist sorts by (name[:2], len(name), name).
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		if a[:2] != b[:2] {
			return a[:2] < b[:2]
		}
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	return names
}

// lookupWavelet returns the filter bank of a PyWavelets discrete wavelet.
// Names are matched exactly (PyRadiomics validates them against
// pywt.wavelist(), which is case sensitive).
func lookupWavelet(name string) (*waveletBank, error) {
	num := func(prefix string, lo, hi int) (int, bool) {
		if !strings.HasPrefix(name, prefix) {
			return 0, false
		}
		s := name[len(prefix):]
		if s == "" || s[0] == '0' || s[0] == '+' || s[0] == '-' {
			return 0, false
		}
		k, err := strconv.Atoi(s)
		if err != nil || k < lo || k > hi {
			return 0, false
		}
		return k, true
	}
	switch {
	case name == "haar":
		return orthBank(name, pywtDB[0], false), nil
	case name == "dmey":
		return orthBank(name, pywtDmey[0], false), nil
	}
	if k, ok := num("db", 1, len(pywtDB)); ok {
		return orthBank(name, pywtDB[k-1], false), nil
	}
	if k, ok := num("sym", 2, 1+len(pywtSym)); ok {
		return orthBank(name, pywtSym[k-2], false), nil
	}
	if k, ok := num("coif", 1, len(pywtCoif)); ok {
		return orthBank(name, pywtCoif[k-1], true), nil
	}
	for _, fam := range []string{"bior", "rbio"} {
		if strings.HasPrefix(name, fam) {
			for _, o := range biorOrders {
				if name[len(fam):] == o {
					return biorBank(name, int(o[0]-'0'), int(o[2]-'0'), fam == "rbio")
				}
			}
		}
	}
	return nil, fmt.Errorf("filters: unknown wavelet %q; valid names (pywt.wavelist(kind='discrete')): %s",
		name, strings.Join(Wavelets(), ", "))
}

// WaveletFilters returns the decomposition low-pass and high-pass filters
// (PyWavelets' dec_lo and dec_hi, float64) of a discrete wavelet.
func WaveletFilters(name string) (decLo, decHi []float64, err error) {
	b, err := lookupWavelet(name)
	if err != nil {
		return nil, nil, err
	}
	return append([]float64(nil), b.decLo...), append([]float64(nil), b.decHi...), nil
}

// WaveletFilters32 returns the single-precision decomposition filters
// PyWavelets uses for float32 data (dec_lo_float, dec_hi_float). They are
// the float32 roundings of the double taps except for coiflets, whose float
// taps are float(t)*float(sqrt2) computed in float.
func WaveletFilters32(name string) (decLo, decHi []float32, err error) {
	b, err := lookupWavelet(name)
	if err != nil {
		return nil, nil, err
	}
	return append([]float32(nil), b.decLo32...), append([]float32(nil), b.decHi32...), nil
}
