package account

// productCost is the cost before TestMain lowers it.
var productCost = cost

// WithProductCost runs fn hashing at the product's cost.
func WithProductCost(fn func()) {
	saved := cost
	cost = productCost
	defer func() { cost = saved }()
	fn()
}
