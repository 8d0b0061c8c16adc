namespace SituationMap.DemoCity;

/// <summary>A Chinese name with its English (pinyin) rendering.</summary>
internal readonly record struct BilingualName(string Zh, string En);

/// <summary>
/// Invented place-name material. Every name in the demo city is synthetic: two-character auspicious words for
/// streets and estates, surname + 家 + settlement suffix for villages, and a fixed table of district names that do
/// not exist in Zhangjiakou.
/// </summary>
internal static class PlaceNames
{
    /// <summary>District table: code, Chinese, English, short Chinese (for unit names), compass angle of the seed
    /// (mathematical degrees; null = the central district).</summary>
    public static readonly IReadOnlyList<(string Code, string Zh, string En, string Short, double? Angle)> Districts =
    [
        ("YQ", "云泉区", "Yunquan District", "云泉", null),
        ("BS", "北山区", "Beishan District", "北山", 90),
        ("DP", "东坪区", "Dongping District", "东坪", 30),
        ("XQ", "新桥区", "Xinqiao District", "新桥", 330),
        ("NY", "南苑区", "Nanyuan District", "南苑", 270),
        ("WC", "望川区", "Wangchuan District", "望川", 210),
        ("XL", "西岭区", "Xiling District", "西岭", 150),
    ];

    /// <summary>Common street words, used first for arterials (most central first).</summary>
    public static readonly IReadOnlyList<BilingualName> ArterialWords =
    [
        new("人民", "Renmin"), new("解放", "Jiefang"), new("建设", "Jianshe"), new("胜利", "Shengli"), new("和平", "Heping"),
        new("友谊", "Youyi"), new("长青", "Changqing"), new("新华", "Xinhua"), new("东风", "Dongfeng"), new("朝阳", "Chaoyang"),
        new("光明", "Guangming"), new("五一", "Wuyi"), new("站前", "Zhanqian"), new("振兴", "Zhenxing"), new("迎宾", "Yingbin"),
        new("团结", "Tuanjie"), new("工业", "Gongye"), new("学府", "Xuefu"), new("育才", "Yucai"), new("商业", "Shangye"),
        new("红旗", "Hongqi"), new("跃进", "Yuejin"), new("开发", "Kaifa"), new("滨河", "Binhe"), new("太平", "Taiping"),
        new("长安", "Chang'an"), new("花园", "Huayuan"), new("体育", "Tiyu"), new("文化", "Wenhua"), new("民主", "Minzhu"),
        new("劳动", "Laodong"), new("前进", "Qianjin"), new("富强", "Fuqiang"), new("钢城", "Gangcheng"), new("矿山", "Kuangshan"),
        new("纺织", "Fangzhi"), new("西山", "Xishan"), new("南山", "Nanshan"), new("燕山", "Yanshan"), new("太行", "Taihang"),
        new("桑干", "Sanggan"), new("塞北", "Saibei"),
    ];

    private static readonly BilingualName[] FirstSyllables =
    [
        new("安", "An"), new("宝", "Bao"), new("长", "Chang"), new("朝", "Chao"), new("丰", "Feng"), new("福", "Fu"),
        new("光", "Guang"), new("和", "He"), new("华", "Hua"), new("吉", "Ji"), new("佳", "Jia"), new("建", "Jian"),
        new("金", "Jin"), new("景", "Jing"), new("康", "Kang"), new("乐", "Le"), new("龙", "Long"), new("明", "Ming"),
        new("宁", "Ning"), new("平", "Ping"), new("庆", "Qing"), new("瑞", "Rui"), new("盛", "Sheng"), new("泰", "Tai"),
        new("通", "Tong"), new("文", "Wen"), new("祥", "Xiang"), new("新", "Xin"), new("兴", "Xing"), new("秀", "Xiu"),
        new("永", "Yong"), new("裕", "Yu"), new("振", "Zhen"), new("中", "Zhong"),
    ];

    private static readonly BilingualName[] SecondSyllables =
    [
        new("安", "an"), new("昌", "chang"), new("达", "da"), new("丰", "feng"), new("福", "fu"), new("和", "he"),
        new("华", "hua"), new("惠", "hui"), new("佳", "jia"), new("康", "kang"), new("乐", "le"), new("林", "lin"),
        new("隆", "long"), new("茂", "mao"), new("民", "min"), new("宁", "ning"), new("平", "ping"), new("庆", "qing"),
        new("泉", "quan"), new("荣", "rong"), new("瑞", "rui"), new("盛", "sheng"), new("顺", "shun"), new("泰", "tai"),
        new("通", "tong"), new("旺", "wang"), new("祥", "xiang"), new("兴", "xing"), new("阳", "yang"), new("源", "yuan"),
    ];

    public static readonly IReadOnlyList<BilingualName> StationWords =
    [
        new("站前", "Zhanqian"), new("东关", "Dongguan"), new("西关", "Xiguan"), new("南关", "Nanguan"), new("北关", "Beiguan"),
        new("新华", "Xinhua"), new("明德", "Mingde"), new("工业", "Gongye"), new("五一", "Wuyi"), new("花园", "Huayuan"),
        new("南营", "Nanying"), new("北营", "Beiying"), new("东兴", "Dongxing"), new("西城", "Xicheng"), new("城南", "Chengnan"),
        new("城北", "Chengbei"), new("滨河", "Binhe"), new("建国", "Jianguo"), new("长青", "Changqing"), new("朝阳", "Chaoyang"),
        new("光明", "Guangming"), new("胜利", "Shengli"), new("和平", "Heping"), new("友谊", "Youyi"), new("东风", "Dongfeng"),
        new("红旗", "Hongqi"), new("向阳", "Xiangyang"), new("新村", "Xincun"), new("钢城", "Gangcheng"), new("沙岭", "Shaling"),
        new("大桥", "Daqiao"), new("南站", "Nanzhan"), new("北站", "Beizhan"), new("西坡", "Xipo"), new("东坡", "Dongpo"),
        new("马场", "Machang"), new("果园", "Guoyuan"), new("柳川", "Liuchuan"), new("石桥", "Shiqiao"), new("榆林", "Yulin"),
    ];

    public static readonly IReadOnlyList<BilingualName> VillageSurnames =
    [
        new("王", "Wang"), new("李", "Li"), new("张", "Zhang"), new("刘", "Liu"), new("陈", "Chen"), new("杨", "Yang"),
        new("赵", "Zhao"), new("周", "Zhou"), new("吴", "Wu"), new("孙", "Sun"), new("马", "Ma"), new("高", "Gao"),
        new("郭", "Guo"), new("贾", "Jia"), new("崔", "Cui"), new("韩", "Han"), new("范", "Fan"), new("苗", "Miao"),
    ];

    public static readonly IReadOnlyList<BilingualName> VillageSuffixes =
    [
        new("庄", "zhuang"), new("营", "ying"), new("堡", "bu"), new("屯", "tun"), new("窑", "yao"), new("湾", "wan"),
    ];

    public static readonly IReadOnlyList<BilingualName> CommunitySuffixes =
    [
        new("小区", "Community"), new("家园", "Homeland"), new("花园", "Garden"), new("苑", "Court"), new("公寓", "Apartments"),
    ];

    public static readonly IReadOnlyList<string> ChineseNumerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    /// <summary>Eight compass sectors for a mathematical angle (radians): Chinese, English.</summary>
    public static BilingualName Direction(double angle)
    {
        var deg = ((angle * 180 / Math.PI) % 360 + 360) % 360;
        var sector = (int)Math.Floor((deg + 22.5) / 45) % 8;
        return sector switch
        {
            0 => new("东", "East"),
            1 => new("东北", "Northeast"),
            2 => new("北", "North"),
            3 => new("西北", "Northwest"),
            4 => new("西", "West"),
            5 => new("西南", "Southwest"),
            6 => new("南", "South"),
            _ => new("东南", "Southeast"),
        };
    }

    /// <summary>All two-syllable words (about a thousand), in a seeded order.</summary>
    public static List<BilingualName> ShuffledWords(Random random)
    {
        var words = new List<BilingualName>(FirstSyllables.Length * SecondSyllables.Length);
        foreach (var first in FirstSyllables)
        {
            foreach (var second in SecondSyllables)
            {
                if (first.Zh == second.Zh) continue;
                var joiner = second.En[0] is 'a' or 'e' or 'o' ? "'" : "";
                words.Add(new BilingualName(first.Zh + second.Zh, first.En + joiner + second.En));
            }
        }
        random.Shuffle(words);
        return words;
    }
}

/// <summary>Hands out words that have not been used yet (neither the Chinese nor the English form).</summary>
internal sealed class NamePool(IEnumerable<BilingualName> words)
{
    private readonly Queue<BilingualName> _words = new(words);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public bool TryReserve(BilingualName name)
    {
        if (_used.Contains("zh:" + name.Zh) || _used.Contains("en:" + name.En)) return false;
        _used.Add("zh:" + name.Zh);
        _used.Add("en:" + name.En);
        return true;
    }

    public BilingualName Next()
    {
        while (_words.Count > 0)
        {
            var word = _words.Dequeue();
            if (TryReserve(word)) return word;
        }
        throw new InvalidOperationException("The name pool is exhausted.");
    }
}
