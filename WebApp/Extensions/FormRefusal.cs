namespace SaasAssistants.WebApp.Extensions;

/// <summary>Why a management form was refused: a code the page explains (resx key <c>Error.{Code}</c>) and the field at fault.</summary>
public sealed record FormRefusal(string Code, string? Field = null);
