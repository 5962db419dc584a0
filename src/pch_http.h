// Precompiled header for the http/ library: Beast and Asio cost ~8 s per file without it.
#pragma once
#include <utility>  // must precede asio with g++ 12 + C++20 (DESIGN.md §2)

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <nlohmann/json.hpp>
