package validate_test

import "shuiyun/internal/standard"

type standardT = standard.Standard

func standardDefault() (*standard.Standard, error) { return standard.Default() }
