namespace Medvis.Core.Data;

/// <summary>
/// Class names of the MedMNIST v2 sets (from MedMNIST's INFO table), found by the file name:
/// "bloodmnist_64.npz", "pbc-bloodcells-28.npz" and "dermamnist.npz" all resolve.
/// </summary>
public static class MedMnistClassNames
{
    private static readonly (string Key, string[] Names)[] KnownSets =
    [
        ("blood", ["basophil", "eosinophil", "erythroblast", "immature granulocyte", "lymphocyte", "monocyte", "neutrophil", "platelet"]),
        ("breast", ["malignant", "normal/benign"]),
        ("retina", ["grade 0", "grade 1", "grade 2", "grade 3", "grade 4"]),
        ("pneumonia", ["normal", "pneumonia"]),
        ("derma", ["actinic keratosis / intraepithelial carcinoma", "basal cell carcinoma", "benign keratosis-like lesion",
            "dermatofibroma", "melanoma", "melanocytic nevus", "vascular lesion"]),
        ("pathmnist", ["adipose", "background", "debris", "lymphocytes", "mucus", "smooth muscle", "normal colon mucosa",
            "cancer-associated stroma", "colorectal adenocarcinoma epithelium"]),
        ("octmnist", ["choroidal neovascularization", "diabetic macular edema", "drusen", "normal"]),
        ("organ", ["bladder", "femur-left", "femur-right", "heart", "kidney-left", "kidney-right", "liver", "lung-left",
            "lung-right", "pancreas", "spleen"]),
        ("tissue", ["collecting duct, connecting tubule", "distal convoluted tubule", "glomerular endothelial cells",
            "interstitial endothelial cells", "leukocytes", "podocytes", "proximal tubule segments", "thick ascending limb"]),
    ];

    /// <summary>The class names of the MedMNIST set the file name points to, or null for an unknown set.</summary>
    public static IReadOnlyList<string>? ForFile(string path)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        foreach (var (key, names) in KnownSets)
            if (name.Contains(key, StringComparison.Ordinal))
                return names;
        return null;
    }

    /// <summary>The known names when they cover every label, else "class 0", "class 1", … for <paramref name="classCount"/> classes.</summary>
    public static IReadOnlyList<string> ForFileOrGeneric(string path, int classCount)
    {
        var known = ForFile(path);
        return known is not null && known.Count >= classCount
            ? known
            : Enumerable.Range(0, classCount).Select(i => $"class {i}").ToArray();
    }
}
