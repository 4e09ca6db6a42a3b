namespace Rapport.Letters;

/// <summary>Lays out letters and fax cover sheets as PDF.</summary>
public sealed class LetterDocuments
{
    public RenderedPdf Letter(LetterContent content) => throw new NotImplementedException();

    public RenderedPdf FaxCover(LetterContent content, int letterPages) => throw new NotImplementedException();
}
