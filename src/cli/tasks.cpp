// attnlab tasks: the toy tasks, one line each (name and description).
#include <cstdio>

#include "attnlab/data/task.hpp"
#include "commands.hpp"

namespace attnlab {

namespace {

void run_tasks() {
    for (const auto& t : task_names()) std::printf("%-10s %s\n", t.c_str(), task_description(t).c_str());
}

}  // namespace

void register_tasks(CLI::App& app) { app.add_subcommand("tasks", "list the toy tasks")->callback(run_tasks); }

}  // namespace attnlab
