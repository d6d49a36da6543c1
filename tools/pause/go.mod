module kafka-shop/tools/pause

go 1.24.0
