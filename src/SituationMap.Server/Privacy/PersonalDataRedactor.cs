using System.Text.RegularExpressions;

namespace SituationMap.Server.Privacy;

/// <summary>
/// Removes personal data from free text before it leaves the system (exports): Chinese resident ID numbers, phone
/// numbers (mobile, landline, international), e-mail addresses, bank-card-length numbers, Chinese vehicle plates, and
/// names where the text marks them ("姓名：…", "name: …", "张先生"/"李女士"). Pattern-based: it catches the common
/// forms, not every name; README says so. O(text length).
/// </summary>
public static partial class PersonalDataRedactor
{
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        text = ResidentId().Replace(text, "[ID]");
        text = Email().Replace(text, "[EMAIL]");
        text = Mobile().Replace(text, "[PHONE]");
        text = International().Replace(text, "[PHONE]");
        text = Landline().Replace(text, "[PHONE]");
        text = LongNumber().Replace(text, "[NUMBER]");
        text = Plate().Replace(text, "[PLATE]");
        text = LabelledChineseName().Replace(text, "$1[NAME]");
        text = LabelledName().Replace(text, "$1[NAME]");
        text = HonorificName().Replace(text, "[NAME]$1");
        return text;
    }

    [GeneratedRegex(@"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])")]
    private static partial Regex ResidentId();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"\+[1-9][0-9](?:[ -]?[0-9]){7,12}(?![0-9])")]
    private static partial Regex International();

    [GeneratedRegex(@"(?<![0-9])0[1-9][0-9]{1,2}[ -]?[0-9]{7,8}(?![0-9])")]
    private static partial Regex Landline();

    [GeneratedRegex(@"(?<![0-9])[0-9]{12,19}(?![0-9])")]
    private static partial Regex LongNumber();

    [GeneratedRegex(@"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z]·?[A-Z0-9]{5,6}")]
    private static partial Regex Plate();

    [GeneratedRegex(@"((?:姓名|当事人|报警人|嫌疑人|受害人)[:：]\s*)[\p{IsCJKUnifiedIdeographs}·]{2,4}")]
    private static partial Regex LabelledChineseName();

    [GeneratedRegex(@"((?i:name|caller|victim|suspect)\s*[:：]\s*)[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")]
    private static partial Regex LabelledName();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}(先生|女士|小姐|老师|师傅)")]
    private static partial Regex HonorificName();
}
