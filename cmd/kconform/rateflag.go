package main

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// rateFlag is --rate-limit: "N/s" or "N", N > 0 requests a second.
type rateFlag float64

func (r *rateFlag) String() string {
	if *r == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(*r), 'f', -1, 64) + "/s"
}

func (r *rateFlag) Set(s string) error {
	n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "/s"), 64)
	if err != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return errors.New("want a positive number of requests per second, like 50/s")
	}
	*r = rateFlag(n)
	return nil
}
