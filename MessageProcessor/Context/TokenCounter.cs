using Microsoft.ML.Tokenizers;

namespace SaasAssistants.MessageProcessor.Context;

/// <summary>
/// Counts tokens with OpenAI's cl100k_base encoding (Microsoft.ML.Tokenizers). Other vendors tokenize differently,
/// but within a few percent for English and Portuguese: close enough to keep a context under its budget.
/// </summary>
public sealed class TokenCounter
{
    // Each chat message costs a few tokens of framing beyond its text (role, separators).
    public const int PerMessageOverhead = 4;

    private readonly Tokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    public int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);

    public int CountMessage(string? text) => Count(text) + PerMessageOverhead;
}
