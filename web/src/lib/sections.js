// The path through the primer: its sections in its order, each with its formula (TeX, typeset by
// KaTeX), its words (messages.js: sec.<id>.title / sec.<id>.text) and the live model that shows it,
// opened on a model, a sentence and a map view. `pair` opens a second model beside the first on the
// same sentence (§2: the bottleneck; §6: additive vs multiplicative). `experiment` is the Train panel's
// experiment that lets the reader see the section's claim happen (train_presets.js EXPERIMENTS).
export const ADJECTIVE_SWAP = 'the small cat does not eat the red apple .';
// 19 and 22 tokens: long enough for one context vector to lose words.
export const LONG_SENTENCES = [
  'the small cat that eats the red apple does not see the big dog in the green garden .',
  'my young sister often eats the green apples in the kitchen but the old man does not like the red cars .',
];

export const SECTIONS = [
  { id: 'rnn', n: '1', model: 'reverse-bahdanau-gru', sentence: '3 1 4 1 5',
    tex: String.raw`h_t = f(U x_t + W h_{t-1} + b), \qquad y_t = \operatorname{softmax}(V h_t)` },
  { id: 'seq2seq', n: '2', model: 'toy-en-fr-context-gru', pair: 'toy-en-fr-bahdanau-gru', sentence: LONG_SENTENCES[0], reference: true,
    chart: true, experiment: 'context-vs-bahdanau', tex: String.raw`\begin{gathered} c = h_{T} \\ s_t = f(s_{t-1}, y_{t-1}, c), \quad p(y_t) = \operatorname{softmax}(W_o s_t) \end{gathered}` },
  { id: 'embedding', n: '3', model: 'toy-en-fr-bahdanau-gru', sentence: ADJECTIVE_SWAP,
    tex: String.raw`e_{t} = E[\,y_{t-1}\,] \in \mathbb{R}^{d}, \qquad \hat y_t = \arg\max_{w} p(w \mid y_{<t}, x)` },
  { id: 'training', n: '4', model: 'toy-en-fr-bahdanau-gru', sentence: ADJECTIVE_SWAP, experiment: 'teacher-forcing',
    tex: String.raw`\mathcal{L} = -\sum_{t=1}^{T'} \log p(y_t \mid y_{<t}, x)` },
  { id: 'attention', n: '5', model: 'toy-en-fr-bahdanau-gru', sentence: ADJECTIVE_SWAP,
    tex: String.raw`\alpha_{t,i} = \frac{\exp(e_{t,i})}{\sum_{j} \exp(e_{t,j})}, \qquad c_t = \sum_{i} \alpha_{t,i} h_i` },
  { id: 'scores', n: '6', model: 'toy-en-fr-bahdanau-gru', pair: 'toy-en-fr-luong-general-gru', sentence: ADJECTIVE_SWAP,
    experiment: 'scaled-vs-unscaled',
    tex: String.raw`\begin{gathered} e_{t,i} = v^\top \tanh(W s_{t-1} + U h_i) \\ e_{t,i} = s_t^\top W h_i, \quad s_t^\top h_i, \quad \frac{q^\top k}{\sqrt{d_k}} \end{gathered}` },
  { id: 'luong', n: '7', model: 'toy-en-fr-luong-general-gru', pair: 'toy-en-fr-bahdanau-gru', sentence: ADJECTIVE_SWAP,
    tex: String.raw`\tilde h_t = \tanh\!\big(W_c [\,c_t ; s_t\,]\big), \qquad s_{t+1} = f(s_t, [\,e_{t+1} ; \tilde h_t\,])` },
  { id: 'self', n: '8', model: 'toy-en-fr-transformer', sentence: ADJECTIVE_SWAP, view: { name: 'encoder_self' },
    tex: String.raw`\begin{gathered} \operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\Big(\frac{Q K^\top}{\sqrt{d_k}}\Big) V \\ Q = X W^Q,\; K = X W^K,\; V = X W^V \end{gathered}` },
  { id: 'transformer', n: '9', model: 'toy-en-fr-transformer', sentence: ADJECTIVE_SWAP, view: { name: 'decoder_self' },
    tex: String.raw`\begin{gathered} \operatorname{softmax}\!\Big(\frac{Q K^\top}{\sqrt{d_k}} + M\Big) V, \quad M_{ij} = \begin{cases} 0 & j \le i \\ -\infty & j > i \end{cases} \\ PE_{(pos, 2i)} = \sin\frac{pos}{10000^{2i/d}}, \quad PE_{(pos, 2i+1)} = \cos\frac{pos}{10000^{2i/d}} \end{gathered}` },
  { id: 'multihead', n: '10', model: 'toy-en-fr-transformer', sentence: ADJECTIVE_SWAP, view: { name: 'cross', head: 'grid' },
    tex: String.raw`\begin{gathered} \operatorname{MultiHead}(Q, K, V) = \operatorname{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h) W^O \\ \mathrm{head}_i = \operatorname{Attention}(Q W_i^Q, K W_i^K, V W_i^V) \end{gathered}` },
  { id: 'chinese', n: '+', model: 'toy-en-zh-bahdanau-gru', pair: 'toy-en-zh-context-gru', sentence: 'i feed a small cat that eats the eggs .',
    tex: String.raw`c_t = \sum_{i} \alpha_{t,i} h_i, \qquad \alpha_{t,i} = \operatorname{softmax}_i(e_{t,i})` },
  { id: 'aaren', n: '+', model: 'toy-en-fr-aaren', sentence: ADJECTIVE_SWAP, view: { name: 'decoder_self' },
    tex: String.raw`\begin{gathered} o_t = \frac{\sum_{i \le t} e^{s_i} v_i}{\sum_{i \le t} e^{s_i}} = \frac{w_t}{u_t}, \quad m_t = \max(m_{t-1}, s_t) \\ u_t = u_{t-1} e^{m_{t-1} - m_t} + e^{s_t - m_t}, \quad w_t = w_{t-1} e^{m_{t-1} - m_t} + v_t e^{s_t - m_t} \end{gathered}` },
];
