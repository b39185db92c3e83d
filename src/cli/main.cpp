// attnlab — train, run and evaluate the primer's sequence models from the terminal. One CLI11 app, one
// subcommand per file (commands.hpp); this file builds the app, dispatches, and turns every error into
// one line on stderr: a bad command line of a command or a failure of its run exits 1; no command or an
// unknown one prints the usage and exits 2.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"

using namespace attnlab;

namespace {

// The command the error belongs to, for its prefix: "attnlab train: …"; "" before one was recognised.
std::string command_of(const CLI::App& app) {
    const auto given = app.get_subcommands();
    return given.empty() ? "" : given.front()->get_name();
}

// A parse error of a command, in one line: an unknown option is named as such.
std::string parse_error_line(const CLI::App& app, const CLI::ParseError& e) {
    const std::string cmd = command_of(app);
    std::string message = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        const std::vector<std::string> rest = app.get_subcommand(cmd)->remaining();
        if (!rest.empty() && rest.front().rfind("-", 0) == 0)
            message = "unknown option " + rest.front();
        else if (!rest.empty())
            message = "unexpected argument \"" + rest.front() + "\"";
    }
    return message + " (see attnlab " + cmd + " --help)";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("attnlab: train, run and evaluate the primer's sequence models", "attnlab");
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // --beam 2 --beam 4: 4
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "print every command's options and exit");
    register_train(app);
    register_translate(app);
    register_eval(app);
    register_forward(app);
    register_tasks(app);
    register_data(app);
    register_convert(app);
    for (CLI::App* command : app.get_subcommands({})) command->set_help_all_flag();  // --help-all: top level only
    app.footer("attnlab COMMAND --help: one command's options");  // after the commands, which would inherit it
    if (argc < 2) {
        std::cerr << app.help();
        return 2;
    }
    try {
        app.parse(argc, argv);
        return 0;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        if (command_of(app).empty()) {
            const std::string first = argv[1];
            std::cerr << "attnlab: " << (first.rfind("-", 0) == 0 ? "unknown option " : "unknown command ") << '"'
                      << first << "\"\n"
                      << app.help();
            return 2;
        }
        std::cerr << "attnlab " << command_of(app) << ": " << parse_error_line(app, e) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "attnlab " << command_of(app) << ": " << e.what() << "\n";
        return 1;
    }
}
