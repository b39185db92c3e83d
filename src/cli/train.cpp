// attnlab train --task TASK --model PRESET --out DIR [options]: trains a preset on a toy task with the
// library's TrainingSession (the page's), shows a progress line, and saves the bundle (config.json,
// vocab.json, weights).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "attnlab/io/bundle.hpp"
#include "attnlab/session/training_session.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace attnlab {

namespace {

struct TrainCommand {
    std::string task, out, preset_name;
    std::uint64_t seed = 1, data_seed = 1;
    TaskSizes sizes;  // train, valid and test sizes, max_train_words
    bool quiet = false;
    PresetOptions preset;         // the sizes given; the rest the preset's
    std::string teacher_forcing;  // P or P_START:P_END; empty: the preset's
    std::size_t epochs = 10, max_tokens = 2000;
    float lr = 2e-3f, label_smoothing = 0.0f;
    std::string schedule;        // empty: the preset's
    std::optional<long> warmup;  // unset: the preset's
};

std::string format_seconds(double s) {
    char buf[32];
    const long t = long(s + 0.5);
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else
        std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    return buf;
}

// The preset's options as given on the command line (--teacher-forcing read here).
PresetOptions preset_options(const TrainCommand& c) {
    PresetOptions o = c.preset;
    if (!c.teacher_forcing.empty()) {
        const std::string& tf = c.teacher_forcing;
        const auto colon = tf.find(':');
        try {
            o.teacher_forcing_start = std::stof(tf.substr(0, colon));
            o.teacher_forcing_end =
                colon == std::string::npos ? *o.teacher_forcing_start : std::stof(tf.substr(colon + 1));
        } catch (const std::exception&) {
            throw Error("--teacher-forcing takes P or P_START:P_END, not \"" + tf + "\"");
        }
    }
    return o;
}

// The run is a TrainingSession, as the page's: stepped one batch at a time here to print progress.
void run_train(const TrainCommand& c) {
    TrainingOptions o;
    o.task = c.task;
    o.preset = c.preset_name;
    o.sizes = preset_options(c);
    o.epochs = c.epochs;
    o.lr = c.lr;
    o.max_tokens = c.max_tokens;
    o.label_smoothing = c.label_smoothing;
    o.schedule = c.schedule;
    o.warmup = c.warmup;
    o.seed = c.seed;
    o.data_seed = c.data_seed;
    o.data = c.sizes;
    TrainingSession session(o);
    const Bundle& bundle = session.bundle();
    std::printf("training %s on %s: %zu parameters, %zu train / %zu valid pairs, vocab %zu → %zu\n", o.preset.c_str(),
                o.task.c_str(), session.parameter_count(), session.splits().train.size(), session.splits().valid.size(),
                bundle.source.vocab().size(), bundle.target.vocab().size());
    const bool tty = isatty(fileno(stdout));
    long last_line = 0;
    auto progress = [&](const TrainProgress& p) {
        if (c.quiet && !p.epoch_end) return;
        if (p.epoch_end) {
            if (tty) std::printf("\r\033[K");
            std::printf("epoch %zu/%zu  step %ld  train loss %.4f  valid loss %.4f  %.0f tok/s  ETA %s\n", p.epoch,
                        p.epochs, p.step, p.loss, p.valid_loss, p.tokens_per_second,
                        format_seconds(p.eta_seconds).c_str());
        } else if (tty) {
            const int width = 30, filled = int(double(width) * double(p.step) / double(std::max(1L, p.total_steps)));
            std::printf("\r\033[K[%s%s] step %ld/%ld  loss %.4f  %.0f tok/s  ETA %s",
                        std::string(std::size_t(filled), '#').c_str(),
                        std::string(std::size_t(width - filled), '.').c_str(), p.step, p.total_steps, p.loss,
                        p.tokens_per_second, format_seconds(p.eta_seconds).c_str());
        } else if (p.step - last_line >= 100) {
            last_line = p.step;
            std::printf("step %ld/%ld  loss %.4f  %.0f tok/s  ETA %s\n", p.step, p.total_steps, p.loss,
                        p.tokens_per_second, format_seconds(p.eta_seconds).c_str());
        }
        std::fflush(stdout);
    };
    for (TrainingStatus s = session.status(); !s.done;) {
        s = session.step(1);
        progress(s.progress);
    }
    write_bundle_files(c.out, session.export_bundle());
    const TrainSummary s = session.summary();
    std::printf("saved %s (%ld steps in %s)\n", c.out.c_str(), s.steps, format_seconds(s.seconds).c_str());
}

}  // namespace

void register_train(CLI::App& app) {
    auto c = std::make_shared<TrainCommand>();
    CLI::App* cmd = app.add_subcommand("train", "train a model preset on a toy task and save it as a bundle");
    cmd->add_option("--task", c->task, "toy-en-fr | toy-en-zh | dates | copy | reverse (attnlab tasks)")->required();
    cmd->add_option("--model", c->preset_name, "the preset (see below)")->required();
    cmd->add_option("--out", c->out, "the bundle's folder")->required();
    cmd->add_option("--epochs", c->epochs, "passes over the training pairs")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_option("--seed", c->seed, "initial weights, batch order, dropout")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_option("--data-seed", c->data_seed, "the task's splits")->transform(whole_number)->capture_default_str();
    cmd->add_option("--train-size", c->sizes.train, "training pairs")->transform(whole_number)->capture_default_str();
    cmd->add_option("--valid-size", c->sizes.valid, "validation pairs")->transform(whole_number)->capture_default_str();
    cmd->add_option("--test-size", c->sizes.test, "held-out test pairs (`eval` draws them again)")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_option("--max-train-words", c->sizes.max_train_words,
                    "> 0: train only on the drawn training pairs whose source has at most this many tokens "
                    "(valid and test unchanged)")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_option("--dropout", c->preset.dropout, "default: the preset's")->transform(real_number);
    cmd->add_option("--lr", c->lr, "learning rate (noam: its factor)")->transform(real_number)->capture_default_str();
    cmd->add_option("--max-tokens", c->max_tokens, "padded source + target tokens per batch")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_option("--label-smoothing", c->label_smoothing, "ε spread over the vocabulary")
        ->transform(real_number)
        ->capture_default_str();
    cmd->add_option("--schedule", c->schedule, "default: the preset's")
        ->check(CLI::IsMember({"warmup-linear", "warmup-cosine", "constant", "noam"}));
    cmd->add_option("--warmup", c->warmup, "warm-up steps; default: the preset's")->transform(whole_number);
    cmd->add_flag("--quiet", c->quiet, "one line per epoch, no progress bar");
    cmd->add_option("--layers", c->preset.layers, "RNN: stacked layers; Transformer, Aaren: layers on each side")
        ->transform(whole_number);
    const char* rnn = "RNN presets";
    cmd->add_option("--embedding", c->preset.embedding, "embedding size")->transform(whole_number)->group(rnn);
    cmd->add_option("--hidden", c->preset.hidden, "hidden state size")->transform(whole_number)->group(rnn);
    cmd->add_option("--attention-size", c->preset.attention_size, "the additive score's size")
        ->transform(whole_number)
        ->group(rnn);
    cmd->add_option("--teacher-forcing", c->teacher_forcing, "P, or P_START:P_END from the first epoch to the last")
        ->type_name("P[:P_END]")
        ->group(rnn);
    cmd->add_flag("--no-bidirectional", c->preset.no_bidirectional, "a one-way encoder")->group(rnn);
    cmd->add_flag("--no-input-feeding", c->preset.no_input_feeding, "Luong without input feeding")->group(rnn);
    const char* transformer = "Transformer and Aaren presets";
    cmd->add_option("--d-model", c->preset.d_model, "model width")->transform(whole_number)->group(transformer);
    cmd->add_option("--heads", c->preset.heads, "attention heads")->transform(whole_number)->group(transformer);
    cmd->add_option("--ffn", c->preset.ffn, "feed-forward width")->transform(whole_number)->group(transformer);
    cmd->add_flag("--tie-embeddings", c->preset.tie_embeddings, "one matrix for target embedding and output")
        ->group(transformer);
    cmd->footer(R"(PRESET: context-gru | bahdanau-gru | luong-general-gru | luong-dot-gru | luong-concat-gru
        | luong-scaled-dot-gru (any of them with -lstm or -rnn instead of -gru)
        | transformer (post-LN, as in the paper) | transformer-preln
        | aaren | aaren-preln (the Transformer with Aaren decoder self-attention: attention as an RNN)
noam uses --lr as its factor: lr · d^-0.5 · min(step^-0.5, step · warmup^-1.5))");
    cmd->callback([c] { run_train(*c); });
}

}  // namespace attnlab
