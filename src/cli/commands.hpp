// The commands of `attnlab`, one file each, named after the command: register_X adds the subcommand X,
// its options and its run function to the app (main.cpp builds the app and dispatches).
//   attnlab train --task TASK --model PRESET --out DIR [options]      train.cpp
//   attnlab translate --model DIR [--beam K] [--json] SENTENCE        translate.cpp
//   attnlab eval --model DIR [--split test|valid] [--json [--outputs]]   eval.cpp
//   attnlab convert --dtype f16|f32 --model DIR --out DIR [--check]   convert.cpp
//   attnlab forward --model DIR (--source S --target T | --pairs FILE) [--gradients] --json   forward.cpp
//   attnlab tasks                                                     tasks.cpp
//   attnlab data --task TASK [--split …] [--data-seed N] [--…-size N] --json   data.cpp
// A run function reports an error by throwing (a one-line message); main prints it and exits 1.
#pragma once

#include <CLI/CLI.hpp>

namespace attnlab {

void register_train(CLI::App& app);
void register_translate(CLI::App& app);
void register_eval(CLI::App& app);
void register_forward(CLI::App& app);
void register_tasks(CLI::App& app);
void register_data(CLI::App& app);
void register_convert(CLI::App& app);

}  // namespace attnlab
