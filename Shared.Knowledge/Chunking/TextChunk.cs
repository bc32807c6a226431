namespace SaasAssistants.Knowledge.Chunking;

/// <summary>A passage ready to embed: its text, the headings above it, the page it starts on, and its size in tokens.</summary>
public sealed record TextChunk(int Ordinal, string HeadingPath, int? Page, string Text, int TokenCount)
{
    /// <summary>What is embedded: the headings give a short passage the context its words alone lack.</summary>
    public string TextForEmbedding => HeadingPath.Length == 0 ? Text : $"{HeadingPath}\n{Text}";
}
