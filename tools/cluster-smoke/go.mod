module kafka-shop/tools/cluster-smoke

go 1.24.0
