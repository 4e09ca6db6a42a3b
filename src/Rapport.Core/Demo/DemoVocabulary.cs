using Rapport.Referrals;
using Rapport.Touchpoints;

namespace Rapport.Demo;

/// <summary>A kind of referrer: how it is named, how much it tends to refer, and for what.</summary>
internal sealed record SourceKind(
    string TaxonomyCode,
    int SmallCount,
    double Weight,
    double VolumeFactor,
    double ReferBackShare,
    string[] Credentials,
    string[] PracticeTemplates,
    string[] Conditions,
    bool IsPerson = true);

/// <summary>What a patient comes in with; drives body region, codes, visits and length of care.</summary>
internal sealed record Condition(
    string Key,
    string BodyRegion,
    string? Procedure,
    string DiagnosisCodes,
    int VisitsMin,
    int VisitsMax,
    int WeeksMin,
    int WeeksMax,
    int AgeMin,
    int AgeMax);

internal sealed record Metro(string City, string State, string AreaCode, string[] Zips, string[] Streets);

internal sealed record PayerChoice(string Name, PayerCategory Category, double Weight);

/// <summary>The fixed word lists the demo draws from. Fictional people; real-looking shapes.</summary>
internal static class DemoVocabulary
{
    public static readonly Condition[] Conditions =
    [
        new("tka", "Knee", "Total knee arthroplasty", "Z96.651,M17.11", 12, 24, 6, 12, 55, 84),
        new("tha", "Hip", "Total hip arthroplasty", "Z96.641,M16.11", 10, 18, 5, 10, 55, 84),
        new("acl", "Knee", "ACL reconstruction", "S83.511A", 18, 36, 12, 24, 16, 40),
        new("menisc", "Knee", "Arthroscopic partial meniscectomy", "S83.241A", 8, 14, 4, 8, 25, 65),
        new("rcr", "Shoulder", "Rotator cuff repair", "M75.121", 16, 30, 10, 20, 40, 75),
        new("tsa", "Shoulder", "Total shoulder arthroplasty", "Z96.611,M19.011", 14, 24, 8, 14, 55, 82),
        new("fusion", "Lumbar spine", "Lumbar fusion", "M48.061,Z98.1", 12, 20, 6, 12, 40, 78),
        new("orif-ankle", "Ankle/foot", "Ankle ORIF", "S82.851A", 10, 20, 6, 12, 18, 70),
        new("achilles", "Ankle/foot", "Achilles tendon repair", "S86.011A", 14, 26, 10, 18, 25, 60),
        new("radius", "Wrist/hand", "Distal radius ORIF", "S52.571A", 8, 16, 5, 10, 20, 80),
        new("ctr", "Wrist/hand", "Carpal tunnel release", "G56.01", 4, 8, 3, 6, 35, 75),
        new("knee-oa", "Knee", null, "M17.11", 6, 12, 4, 8, 45, 85),
        new("pfps", "Knee", null, "M22.2X1", 6, 12, 4, 8, 14, 45),
        new("ankle-sprain", "Ankle/foot", null, "S93.401A", 4, 10, 3, 6, 14, 55),
        new("shoulder-imp", "Shoulder", null, "M75.41", 6, 14, 4, 8, 25, 70),
        new("tennis-elbow", "Elbow", null, "M77.11", 4, 10, 3, 7, 30, 65),
        new("lbp", "Lumbar spine", null, "M54.50", 6, 14, 4, 8, 20, 80),
        new("sciatica", "Lumbar spine", null, "M54.41", 6, 14, 4, 9, 25, 75),
        new("neck", "Cervical spine", null, "M54.2", 6, 12, 4, 8, 20, 75),
        new("whiplash", "Cervical spine", null, "S13.4XXA", 8, 16, 4, 10, 18, 70),
        new("thoracic", "Thoracic spine", null, "M54.6", 4, 10, 3, 6, 20, 70),
        new("plantar", "Ankle/foot", null, "M72.2", 4, 10, 3, 8, 25, 70),
        new("bunion", "Ankle/foot", "Bunionectomy", "M20.11", 6, 12, 4, 8, 30, 75),
        new("hip-bursitis", "Hip", null, "M70.61", 6, 10, 4, 7, 40, 80),
        new("fall-risk", "Multiple", null, "R26.81,Z91.81", 8, 16, 5, 10, 65, 92),
        new("stroke", "Multiple", null, "I69.351", 16, 30, 8, 16, 50, 88),
        new("parkinson", "Multiple", null, "G20.A1", 12, 24, 6, 12, 55, 88),
        new("vestibular", "Other", null, "H81.13", 4, 8, 3, 6, 30, 85),
        new("concussion", "Other", null, "S06.0X0A", 6, 12, 4, 8, 14, 40),
        new("pelvic", "Other", null, "N39.3", 6, 12, 5, 10, 25, 70),
        new("ra", "Multiple", null, "M06.9", 8, 14, 5, 9, 30, 80),
    ];

    public static readonly SourceKind[] SourceKinds =
    [
        new("207X00000X", 20, 14, 1.9, 0.22, ["MD", "DO", "MD"], ["{City} Orthopaedic Associates", "{Last} Orthopedics", "Inland Bone & Joint", "{City} Joint Replacement Center"],
            ["tka", "tka", "tha", "tha", "rcr", "tsa", "menisc", "acl", "orif-ankle", "radius", "knee-oa", "fusion"]),
        new("207XS0114X", 4, 3, 2.0, 0.22, ["MD"], ["{City} Joint Replacement Center", "{City} Orthopaedic Associates"], ["tka", "tha", "tsa"]),
        new("207XS0117X", 3, 2, 1.5, 0.2, ["MD", "DO"], ["{City} Spine Institute", "Advanced Spine Care of {City}"], ["fusion", "sciatica", "lbp", "neck"]),
        new("207XX0004X", 2, 1.5, 1.3, 0.2, ["MD", "DO"], ["{City} Foot & Ankle Surgery"], ["orif-ankle", "achilles", "bunion"]),
        new("207XS0106X", 2, 1.5, 1.0, 0.15, ["MD"], ["{City} Hand Center"], ["radius", "ctr", "tennis-elbow"]),
        new("207QS0010X", 7, 5, 1.4, 0.15, ["MD", "DO"], ["{City} Sports Medicine", "Peak Sports Medicine", "{Last} Sports & Family Medicine"],
            ["acl", "pfps", "ankle-sprain", "shoulder-imp", "tennis-elbow", "concussion", "menisc"]),
        new("204C00000X", 5, 3, 1.3, 0.12, ["DO", "MD"], ["{City} Sports Medicine", "Athletic Care of {City}"], ["pfps", "ankle-sprain", "shoulder-imp", "concussion", "hip-bursitis"]),
        new("207Q00000X", 24, 22, 0.6, 0.06, ["MD", "DO", "MD"], ["{City} Family Medicine", "{Last} Family Practice", "Valley Community Health", "{City} Primary Care"],
            ["lbp", "lbp", "neck", "knee-oa", "shoulder-imp", "sciatica", "plantar", "fall-risk", "hip-bursitis"]),
        new("208D00000X", 6, 5, 0.5, 0.05, ["MD", "DO"], ["{Last} Medical Group", "{City} Walk-In Clinic"], ["lbp", "neck", "ankle-sprain", "knee-oa"]),
        new("207R00000X", 15, 14, 0.5, 0.06, ["MD", "DO"], ["{City} Internal Medicine", "{Last} Internal Medicine", "Riverside Medical Clinic"],
            ["lbp", "knee-oa", "fall-risk", "neck", "hip-bursitis", "shoulder-imp"]),
        new("207RG0300X", 3, 3, 0.6, 0.08, ["MD"], ["{City} Senior Care", "Golden Years Geriatrics"], ["fall-risk", "knee-oa", "parkinson", "lbp"]),
        new("207RR0500X", 3, 2, 0.5, 0.1, ["MD"], ["{City} Arthritis & Rheumatology"], ["ra", "knee-oa", "hip-bursitis"]),
        new("2084N0400X", 8, 5, 0.6, 0.15, ["MD", "DO"], ["{City} Neurology Associates", "{Last} Neurology", "Inland Neuroscience Center"],
            ["stroke", "parkinson", "vestibular", "concussion", "neck"]),
        new("207T00000X", 2, 1.5, 0.9, 0.2, ["MD"], ["{City} Neurosurgery", "Brain & Spine Surgeons of {City}"], ["fusion", "sciatica", "neck"]),
        new("213E00000X", 8, 5, 0.7, 0.15, ["DPM"], ["{City} Podiatry", "{Last} Foot & Ankle", "Foot Health Center of {City}"], ["plantar", "bunion", "ankle-sprain", "achilles"]),
        new("208100000X", 8, 5, 0.9, 0.12, ["MD", "DO"], ["{City} Physical Medicine", "{City} Spine & Rehab", "{Last} PM&R"], ["lbp", "sciatica", "neck", "stroke", "whiplash"]),
        new("208VP0014X", 6, 4, 0.6, 0.12, ["MD", "DO"], ["{City} Pain Management", "Interventional Pain Center"], ["lbp", "sciatica", "neck", "thoracic"]),
        new("111N00000X", 8, 6, 0.45, 0.03, ["DC"], ["{Last} Chiropractic", "{City} Spine & Wellness", "Align Chiropractic"], ["lbp", "neck", "whiplash", "thoracic"]),
        new("363LF0000X", 10, 10, 0.5, 0.04, ["FNP-C", "NP", "APRN"], ["{City} Family Medicine", "{City} Urgent Care", "MinuteWell Clinic"],
            ["lbp", "neck", "ankle-sprain", "knee-oa", "shoulder-imp"]),
        new("363A00000X", 8, 8, 0.7, 0.08, ["PA-C"], ["{City} Orthopaedic Associates", "{City} Urgent Care", "{City} Sports Medicine"],
            ["ankle-sprain", "knee-oa", "shoulder-imp", "menisc", "lbp", "radius"]),
        new("207VX0000X", 2, 2, 0.35, 0.05, ["MD"], ["{City} Women's Health"], ["pelvic", "lbp"]),
    ];

    public static readonly string[] MaleFirstNames =
    [
        "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles", "Daniel", "Matthew", "Anthony", "Mark",
        "Steven", "Paul", "Andrew", "Joshua", "Kevin", "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary",
        "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Raymond", "Gregory", "Frank",
        "Alexander", "Patrick", "Jack", "Dennis", "Tyler", "Aaron", "Jose", "Adam", "Nathan", "Henry", "Zachary", "Douglas", "Peter", "Kyle", "Noah",
        "Ethan", "Jeremy", "Walter", "Christian", "Keith", "Roger", "Terry", "Austin", "Sean", "Gerald", "Carl", "Harold", "Dylan", "Arthur", "Luis",
        "Carlos", "Miguel", "Wei", "Hiroshi", "Arjun", "Omar", "Mateo", "Diego", "Kwame", "Rahul", "Tuan", "Andre",
    ];

    public static readonly string[] FemaleFirstNames =
    [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Sandra",
        "Margaret", "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Dorothy", "Rebecca",
        "Sharon", "Laura", "Cynthia", "Amy", "Kathleen", "Angela", "Shirley", "Brenda", "Emma", "Anna", "Pamela", "Nicole", "Samantha", "Katherine",
        "Christine", "Helen", "Debra", "Rachel", "Carolyn", "Janet", "Maria", "Catherine", "Heather", "Diane", "Olivia", "Julie", "Joyce", "Victoria",
        "Ruth", "Virginia", "Lauren", "Kelly", "Christina", "Joan", "Evelyn", "Judith", "Andrea", "Hannah", "Megan", "Cheryl", "Jacqueline", "Martha",
        "Gloria", "Teresa", "Sofia", "Mei", "Yuki", "Priya", "Fatima", "Lucia", "Camila", "Aaliyah", "Ngozi", "Anh", "Isabel",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez",
        "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
        "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
        "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
        "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
        "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James",
        "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster",
        "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher",
        "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West",
        "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall",
        "Owens", "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb",
        "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason",
        "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox", "Warren",
        "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto", "Weaver", "Ryan", "Gardner", "Payne",
        "Grant", "Dunn", "Kelley", "Spencer", "Hawkins", "Arnold", "Pierce", "Vazquez", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight",
        "Elliott", "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray", "Delgado", "Berry",
        "Perkins", "Hoffman", "Johnston", "Matthews", "Pena", "Richards", "Contreras", "Willis", "Carpenter", "Lawrence", "Sandoval", "Okafor",
        "Nakamura", "Singh", "Kowalski", "Yamamoto", "Haddad", "Novak", "Osei", "Petrov", "Rossi", "Lindqvist", "Abernathy", "Whitaker", "Castellano",
    ];

    public static readonly Metro[] Metros =
    [
        new("Riverside", "CA", "951", ["92501", "92503", "92504", "92505", "92506", "92507", "92508"], ["Main St", "Magnolia Ave", "Market St", "University Ave", "Arlington Ave", "Canyon Crest Dr", "Central Ave", "Brockton Ave"]),
        new("Corona", "CA", "951", ["92879", "92880", "92881", "92882"], ["Main St", "Ontario Ave", "McKinley St", "Green River Rd", "Magnolia Ave"]),
        new("Moreno Valley", "CA", "951", ["92553", "92555", "92557"], ["Alessandro Blvd", "Sunnymead Blvd", "Perris Blvd", "Frederick St"]),
        new("Sacramento", "CA", "916", ["95814", "95816", "95818", "95819", "95820", "95825"], ["J St", "Capitol Ave", "Broadway", "Fair Oaks Blvd", "Folsom Blvd"]),
        new("Phoenix", "AZ", "602", ["85004", "85006", "85008", "85012", "85016", "85018"], ["Camelback Rd", "Indian School Rd", "Central Ave", "McDowell Rd", "Thomas Rd"]),
        new("Denver", "CO", "303", ["80202", "80203", "80205", "80206", "80210", "80218"], ["Colfax Ave", "Broadway", "Speer Blvd", "Colorado Blvd", "Evans Ave"]),
        new("Austin", "TX", "512", ["78701", "78703", "78704", "78705", "78731", "78745"], ["Congress Ave", "Lamar Blvd", "Burnet Rd", "Oltorf St", "Guadalupe St"]),
        new("Portland", "OR", "503", ["97201", "97205", "97209", "97212", "97214", "97232"], ["Burnside St", "Hawthorne Blvd", "Sandy Blvd", "Division St", "Broadway"]),
        new("Raleigh", "NC", "919", ["27601", "27603", "27605", "27607", "27609", "27612"], ["Glenwood Ave", "Hillsborough St", "Six Forks Rd", "Wake Forest Rd"]),
        new("Columbus", "OH", "614", ["43201", "43205", "43206", "43212", "43214", "43215"], ["High St", "Broad St", "Main St", "Olentangy River Rd", "Lane Ave"]),
        new("Tampa", "FL", "813", ["33602", "33606", "33609", "33611", "33614", "33629"], ["Kennedy Blvd", "Dale Mabry Hwy", "Bayshore Blvd", "Florida Ave"]),
    ];

    public static readonly string[] ClinicQuarters =
        ["Downtown", "North", "South", "East", "West", "Midtown", "Uptown", "Lakeside", "Hillcrest", "Parkway"];

    public static readonly string[] ClinicNiches =
    [
        "orthopaedics, sports", "orthopaedics, joint replacement", "spine", "sports, running", "geriatrics, balance, neurology",
        "vestibular, concussion", "pelvic health", "hand therapy", "orthopaedics, work injury",
    ];

    public static readonly PayerChoice[] SeniorPayers =
    [
        new("Medicare Part B", PayerCategory.Medicare, 60), new("Humana Medicare Advantage", PayerCategory.Medicare, 14),
        new("UnitedHealthcare Medicare Advantage", PayerCategory.Medicare, 12), new("Blue Shield of California", PayerCategory.Commercial, 6),
        new("Medi-Cal", PayerCategory.Medicaid, 4), new("Self-pay", PayerCategory.SelfPay, 2), new("Auto insurance (MedPay)", PayerCategory.Auto, 2),
    ];

    public static readonly PayerChoice[] AdultPayers =
    [
        new("Blue Cross Blue Shield", PayerCategory.Commercial, 22), new("Aetna", PayerCategory.Commercial, 14), new("UnitedHealthcare", PayerCategory.Commercial, 16),
        new("Cigna", PayerCategory.Commercial, 10), new("Kaiser Permanente", PayerCategory.Commercial, 6), new("Medi-Cal", PayerCategory.Medicaid, 12),
        new("Workers' comp (State Fund)", PayerCategory.WorkersComp, 7), new("Auto insurance (MedPay)", PayerCategory.Auto, 5),
        new("Self-pay", PayerCategory.SelfPay, 5), new("TRICARE", PayerCategory.Other, 3),
    ];

    public static readonly string[] LostReasons =
    [
        "Could not reach patient", "Could not reach patient", "Chose another provider", "Insurance denied / not covered", "High deductible / cost",
        "Scheduling conflict", "Symptoms resolved", "Surgery postponed", "Moved out of area", "No-show to evaluation",
    ];

    public static string ReferBackReason(Condition condition, int pick) => condition switch
    {
        { Procedure: not null } => Pick(["Post-op follow-up", "Plateau in progress: surgeon review", "Wound concern", "Progress report and plan of care update"], pick),
        { BodyRegion: "Multiple" or "Other" } => Pick(["Neurological re-evaluation", "Medication review", "Progress report and plan of care update", "New symptoms: physician review"], pick),
        { BodyRegion: "Ankle/foot" } => Pick(["Custom orthotics", "Suspected stress fracture: imaging", "Injection consult", "Progress report and plan of care update"], pick),
        _ => Pick(["Plateau in progress: surgical consult", "Injection consult", "Persistent pain: medication review", "Red-flag symptoms", "Imaging recommended",
            "Progress report and plan of care update"], pick),
    };

    public static readonly (TouchMethod Method, double Weight)[] TouchMethods =
    [
        (TouchMethod.InPerson, 24), (TouchMethod.Phone, 22), (TouchMethod.Email, 20), (TouchMethod.Lunch, 8), (TouchMethod.Report, 7),
        (TouchMethod.Fax, 5), (TouchMethod.Event, 4), (TouchMethod.Letter, 3), (TouchMethod.Video, 3), (TouchMethod.Text, 3), (TouchMethod.Social, 1),
    ];

    public static string TouchPurpose(TouchMethod method, int pick) => method switch
    {
        TouchMethod.InPerson => Pick(["Office drop-in with clinic update", "Met with practice manager", "Reviewed shared patients", "Delivered outcomes report card"], pick),
        TouchMethod.Phone => Pick(["Follow-up on recent referral", "Check-in call", "Discussed a shared patient's progress", "Scheduling preferences"], pick),
        TouchMethod.Email => Pick(["Monthly newsletter", "Outcomes summary for referred patients", "New clinic hours", "Thank-you for referrals"], pick),
        TouchMethod.Lunch => Pick(["Lunch-and-learn: post-op knee rehab", "Lunch-and-learn: low back pain pathways", "Lunch-and-learn: fall prevention"], pick),
        TouchMethod.Report => Pick(["Quarterly report card", "Patient outcome report (LEFS/ODI)"], pick),
        TouchMethod.Fax => Pick(["Plan of care for signature", "Progress note", "Discharge summary"], pick),
        TouchMethod.Event => Pick(["Community health fair", "Sports medicine symposium", "Clinic open house"], pick),
        TouchMethod.Letter => Pick(["Holiday card", "Welcome letter"], pick),
        TouchMethod.Video => Pick(["Virtual case review", "Telehealth check-in"], pick),
        TouchMethod.Text => Pick(["Quick update on shared patient", "Confirmed meeting time"], pick),
        _ => Pick(["Shared clinic post", "Congratulated on award"], pick),
    };

    /// <summary>Referral volume by calendar month: the January surge (new deductibles, resolutions), summer and December dips.</summary>
    public static readonly double[] Seasonality = [1.20, 1.08, 1.08, 1.02, 1.00, 0.90, 0.82, 0.86, 1.04, 1.07, 0.95, 0.76];

    private static string Pick(string[] options, int pick) => options[pick % options.Length];
}
