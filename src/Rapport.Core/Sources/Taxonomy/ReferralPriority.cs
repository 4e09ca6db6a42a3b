namespace Rapport.Sources;

/// <summary>
/// The order in which specialty lists and searches show the catalogue's categories: the specialties
/// that send outpatient physical therapy the most patients first, so the likely answer is at the
/// top and a search word shared with a rare specialty ("orthop" → Orthopedic Chiropractor) does not
/// win over the common one (Orthopaedic Surgery).
/// </summary>
/// <remarks>
/// Why this order: musculoskeletal surgery and sports medicine produce the bulk of outpatient PT
/// referrals (post-operative and sports rehabilitation); primary care (family and internal medicine)
/// refers the largest number of non-operative back, neck and joint patients; physiatry (PM&amp;R),
/// neurology, podiatry, rheumatology, pain medicine and neurosurgery follow as the specialties whose
/// patients routinely need rehabilitation. Geriatrics, NPs and PAs (often working inside the
/// practices above), OB/GYN (pelvic health) and pediatrics refer less often; emergency medicine
/// rarely. Chiropractors are last among referrers because Medicare does not let them refer for
/// therapy or certify a plan of care (shared REFERENCES.md), and the practice's own profession is
/// not a referral source at all. A category missing here sorts after those listed.
/// </remarks>
public static class ReferralPriority
{
    public static IReadOnlyList<string> Categories { get; } =
    [
        "Orthopaedic surgery",
        "Sports medicine",
        "Family medicine / general practice",
        "Internal medicine",
        "Physical medicine & rehabilitation",
        "Neurology",
        "Podiatry",
        "Rheumatology",
        "Pain medicine",
        "Neurological surgery",
        "Geriatric medicine",
        "Nurse practitioner",
        "Physician assistant",
        "Obstetrics & gynecology",
        "Pediatrics",
        "Osteopathic neuromusculoskeletal medicine",
        "Emergency medicine (urgent/ED referrals)",
        "Chiropractic",
        "(Self) Physical therapist - not a referral source",
    ];

    /// <summary>
    /// Words people use for a specialty that its NUCC name lacks ("spine" for neurosurgery, "PCP"
    /// for family medicine). Searched after the name's own words, so they widen a search without
    /// outranking a name that matches.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Keywords { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["207X00000X"] = "ortho orthopod bone joint",
        ["207XS0117X"] = "spine back neck",
        ["207T00000X"] = "neurosurgery neurosurgeon spine brain",
        ["2081P0004X"] = "spine",
        ["208100000X"] = "PM&R PMR physiatry physiatrist rehab",
        ["207Q00000X"] = "primary care PCP GP",
        ["207R00000X"] = "primary care PCP internist",
        ["208D00000X"] = "primary care PCP GP",
        ["207V00000X"] = "OB/GYN OBGYN pelvic women",
        ["207VF0040X"] = "pelvic",
        ["213E00000X"] = "DPM foot ankle",
        ["111N00000X"] = "DC",
        ["363L00000X"] = "NP APRN",
        ["363A00000X"] = "PA PA-C",
    };

    public static int RankOf(string category)
    {
        for (var i = 0; i < Categories.Count; i++)
        {
            if (string.Equals(Categories[i], category, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return Categories.Count;
    }
}
