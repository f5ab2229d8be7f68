package report

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Constants of GitHub's primaryLocationLineHash (github/codeql-action,
// src/fingerprints.ts): a polynomial rolling hash with base 37 over a
// window of 100 characters, 64-bit wrap-around arithmetic.
const (
	lineHashBlock = 100
	lineHashMod   = 37
	lineHashEOF   = 65535 // sentinel fed after the last character
)

// lineHashFirstMod is 37^100 mod 2^64, the weight of the character that
// leaves the window.
var lineHashFirstMod = func() uint64 {
	m := uint64(1)
	for range lineHashBlock {
		m *= lineHashMod
	}
	return m
}()

// LineHashes computes, for every line of src, the value GitHub's
// upload-sarif action writes as partialFingerprints.primaryLocationLineHash
// for a result starting on that line: "<hex>:<n>", where hex is the rolling
// hash of the first 100 characters from the start of the line on (spaces
// and tabs skipped, CR and CRLF read as LF, the window running on into the
// following lines) and n counts earlier lines of the file with the same
// hash. Element i is line i+1. Characters are UTF-16 code units, as
// JavaScript's charCodeAt gives them; a file that is not valid UTF-8 is read
// as Node reads it, with U+FFFD for each bad byte.
//
// Computing the hash ourselves makes a SARIF file uploaded through the REST
// API match alerts made by the Action, and lets the Action keep our value
// (it only fills in a missing one). The whole file is hashed once: O(len(src)).
func LineHashes(src []byte) []string {
	hs := lineHashes(src)
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}

// lineHash is one line's primaryLocationLineHash before formatting: the
// rolling hash and how many lines up to this one have it. SARIF formats
// only the lines that results start on.
type lineHash struct {
	hash uint64
	n    int
}

func (h lineHash) String() string {
	return strconv.FormatUint(h.hash, 16) + ":" + strconv.Itoa(h.n)
}

func lineHashes(src []byte) []lineHash {
	var (
		window  [lineHashBlock]uint64
		lineNos [lineHashBlock]int // line starting at this window slot, or 0
		hash    uint64
		index   int
		line    int
		start   = true
		prevCR  bool
		counts  = map[uint64]int{}
		out     []lineHash
	)
	emit := func() {
		counts[hash]++
		// Lines are emitted in order, one each, so the line number is
		// len(out)+1; lineNos only says whether a line starts here.
		out = append(out, lineHash{hash, counts[hash]})
		lineNos[index] = 0
	}
	update := func(c uint64) {
		begin := window[index]
		window[index] = c
		hash = lineHashMod*hash + c - lineHashFirstMod*begin
		index = (index + 1) % lineHashBlock
	}
	process := func(c uint64) {
		if c == ' ' || c == '\t' || (prevCR && c == '\n') {
			prevCR = false
			return
		}
		if c == '\r' {
			c = '\n'
			prevCR = true
		} else {
			prevCR = false
		}
		if lineNos[index] != 0 {
			emit()
		}
		if start {
			start = false
			line++
			lineNos[index] = line
		}
		if c == '\n' {
			start = true
		}
		update(c)
	}
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		src = src[size:]
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			process(uint64(hi))
			process(uint64(lo))
			continue
		}
		process(uint64(r))
	}
	process(lineHashEOF)
	for range lineHashBlock {
		if lineNos[index] != 0 {
			emit()
		}
		update(0)
	}
	return out
}
