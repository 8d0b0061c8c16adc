using SituationMap.Analysis.Domain;

namespace SituationMap.DemoCity;

/// <summary>Where an incident is drawn from.</summary>
internal enum IncidentSource
{
    /// <summary>Anywhere, proportional to population density.</summary>
    Background,
    UrbanVillage,
    Fringe,
    /// <summary>Around crowded public places (night markets, pedestrian streets, squares…).</summary>
    Nightlife,
    /// <summary>Around the railway and bus stations.</summary>
    Transit,
    /// <summary>On arterials and collectors.</summary>
    Road,
    DisorderArea,
    Community,
    Mining,
}

/// <summary>One incident category: its share, where it happens, when, how severe, how late it is reported and what
/// the call-taker writes down.</summary>
internal sealed record CategoryProfile(
    IncidentCategory Category,
    double Share,
    double[] SourceWeights,
    double[] Hours,
    double[] Severity,
    double ReportDelayMinutes,
    BilingualName[] Templates);

/// <summary>
/// The statistical texture of the incident year. Shares are in the range typical of Chinese 110 call statistics
/// (disputes, traffic and theft lead; robbery is rare). Hour weights are local time (UTC+8), index = hour.
/// </summary>
internal static class IncidentProfiles
{
    public static readonly double[] DaytimeHours =
        [0.35, 0.25, 0.2, 0.15, 0.15, 0.25, 0.5, 0.8, 1.0, 1.1, 1.2, 1.2, 1.15, 1.1, 1.15, 1.2, 1.25, 1.3, 1.3, 1.25, 1.1, 0.9, 0.7, 0.5];

    public static readonly double[] NightlifeHours =
        [1.6, 1.3, 0.9, 0.5, 0.25, 0.15, 0.1, 0.15, 0.25, 0.35, 0.5, 0.7, 0.8, 0.7, 0.7, 0.8, 0.9, 1.1, 1.5, 1.9, 2.2, 2.3, 2.2, 1.9];

    public static readonly double[] TransitHours =
        [0.3, 0.2, 0.15, 0.1, 0.15, 0.4, 1.0, 1.8, 1.9, 1.3, 1.0, 1.0, 1.1, 1.0, 1.0, 1.1, 1.4, 1.9, 1.9, 1.4, 1.1, 0.9, 0.7, 0.5];

    private static readonly double[] NightHours =
        [1.5, 1.4, 1.1, 0.7, 0.4, 0.25, 0.2, 0.25, 0.35, 0.45, 0.55, 0.6, 0.65, 0.6, 0.6, 0.65, 0.75, 0.9, 1.1, 1.3, 1.5, 1.7, 1.8, 1.7];

    private static readonly double[] RushHours =
        [0.2, 0.15, 0.1, 0.1, 0.15, 0.35, 0.8, 1.8, 2.0, 1.2, 0.9, 0.9, 1.0, 0.9, 0.9, 1.0, 1.3, 1.9, 2.0, 1.3, 0.9, 0.7, 0.5, 0.3];

    private static readonly double[] OfficeHours =
        [0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.5, 1.1, 1.5, 1.6, 1.5, 1.2, 1.3, 1.5, 1.5, 1.4, 1.2, 1.0, 0.9, 0.8, 0.6, 0.4, 0.2];

    private static readonly double[] BurglaryHours =
        [0.9, 1.1, 1.2, 1.1, 0.8, 0.5, 0.4, 0.5, 0.7, 0.9, 1.0, 1.0, 0.9, 0.9, 1.0, 1.0, 0.9, 0.7, 0.6, 0.6, 0.6, 0.6, 0.7, 0.8];

    private static readonly double[] RobberyHours =
        [1.4, 1.5, 1.3, 0.9, 0.5, 0.3, 0.3, 0.4, 0.5, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 0.8, 1.0, 1.1, 1.2, 1.3, 1.4, 1.4];

    private static readonly double[] EveningHours =
        [0.6, 0.45, 0.3, 0.2, 0.15, 0.2, 0.35, 0.6, 0.9, 1.1, 1.2, 1.2, 1.2, 1.1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0, 0.8];

    private static readonly double[] FireHours =
        [0.5, 0.4, 0.35, 0.3, 0.3, 0.35, 0.5, 0.7, 0.9, 1.0, 1.1, 1.2, 1.2, 1.2, 1.2, 1.3, 1.3, 1.4, 1.5, 1.5, 1.3, 1.1, 0.9, 0.7];

    // source weights: Background, UrbanVillage, Fringe, Nightlife, Transit, Road, DisorderArea, Community, Mining
    public static readonly IReadOnlyList<CategoryProfile> Categories =
    [
        new(IncidentCategory.Violent, 0.05, [0.42, 0.05, 0.08, 0.30, 0, 0, 0.15, 0, 0], NightHours, [0.05, 0.35, 0.45, 0.15], 5,
        [
            new("{p}发生打架斗殴，有人受轻伤。", "Fight {p}; minor injuries reported."),
            new("{p}有人持械伤人，伤者已送医。", "Assault with a weapon {p}; the injured person was taken to hospital."),
            new("{p}发生肢体冲突。", "Physical altercation {p}."),
            new("{p}酒后殴打他人。", "Drunken assault {p}."),
        ]),
        new(IncidentCategory.PropertyTheft, 0.17, [0.42, 0.06, 0.14, 0.15, 0.15, 0, 0, 0.08, 0], DaytimeHours, [0.5, 0.4, 0.09, 0.01], 20,
        [
            new("{p}电动自行车被盗。", "Electric bicycle stolen {p}."),
            new("{p}手机被盗。", "Mobile phone stolen {p}."),
            new("{p}钱包被扒窃。", "Wallet pickpocketed {p}."),
            new("{p}停放车辆内财物被盗。", "Items stolen from a parked car {p}."),
            new("{p}快递包裹被人拿走。", "Parcel taken {p}."),
        ]),
        new(IncidentCategory.Robbery, 0.015, [0.36, 0.05, 0.19, 0.15, 0.20, 0, 0.05, 0, 0], RobberyHours, [0.02, 0.28, 0.5, 0.2], 6,
        [
            new("{p}发生飞车抢夺，嫌疑人骑摩托车逃离。", "Bag snatched {p}; the suspect fled on a motorcycle."),
            new("{p}发生持刀抢劫。", "Knife-point robbery {p}."),
            new("{p}有人被强行索要财物。", "Money demanded by force {p}."),
        ]),
        new(IncidentCategory.Burglary, 0.06, [0.34, 0.12, 0.34, 0, 0, 0, 0, 0.20, 0], BurglaryHours, [0.15, 0.55, 0.27, 0.03], 60,
        [
            new("{p}住户报称家中被盗。", "Residence burgled {p}."),
            new("{p}商铺夜间被撬。", "Shop broken into overnight {p}."),
            new("{p}门锁被撬，财物丢失。", "Door lock forced {p}; valuables missing."),
            new("{p}仓库被盗。", "Storeroom burgled {p}."),
        ]),
        new(IncidentCategory.Fraud, 0.10, [0.75, 0, 0, 0.10, 0.05, 0, 0, 0.10, 0], OfficeHours, [0.3, 0.5, 0.17, 0.03], 90,
        [
            new("冒充客服退款诈骗。", "Fake customer-service refund scam."),
            new("网络刷单诈骗。", "Online task-order scam."),
            new("冒充公检法人员诈骗。", "Scam by callers posing as officials."),
            new("虚假投资理财诈骗。", "Fake investment scam."),
            new("{p}发生街头兑换诈骗。", "Street exchange swindle {p}."),
        ]),
        new(IncidentCategory.Traffic, 0.18, [0.12, 0, 0, 0, 0, 0.88, 0, 0, 0], RushHours, [0.55, 0.3, 0.12, 0.03], 3,
        [
            new("{p}两车追尾，无人受伤。", "Two-car rear-end collision {p}; no injuries."),
            new("{p}电动车与轿车相撞。", "E-bike and car collision {p}."),
            new("{p}车辆剐蹭引发纠纷。", "Minor scrape between vehicles {p}."),
            new("{p}行人被车辆撞倒。", "Pedestrian struck by a vehicle {p}."),
            new("{p}车辆故障占道。", "Broken-down vehicle blocking a lane {p}."),
        ]),
        new(IncidentCategory.PublicOrder, 0.09, [0.31, 0.04, 0, 0.35, 0.10, 0, 0.20, 0, 0], NightHours, [0.5, 0.38, 0.1, 0.02], 6,
        [
            new("{p}有人酒后滋事。", "Drunken disturbance {p}."),
            new("{p}噪音扰民。", "Noise complaint {p}."),
            new("{p}聚众喧哗。", "Rowdy crowd {p}."),
            new("{p}有人寻衅滋事。", "Provocative behaviour {p}."),
        ]),
        new(IncidentCategory.Dispute, 0.20, [0.50, 0.07, 0.16, 0.12, 0, 0, 0.05, 0.10, 0], EveningHours, [0.6, 0.33, 0.06, 0.01], 5,
        [
            new("{p}邻里纠纷。", "Neighbour dispute {p}."),
            new("{p}发生口角。", "Verbal argument {p}."),
            new("{p}消费纠纷。", "Consumer dispute {p}."),
            new("{p}停车纠纷。", "Parking dispute {p}."),
            new("{p}劳资纠纷。", "Wage dispute {p}."),
        ]),
        new(IncidentCategory.FireHazard, 0.035, [0.56, 0.12, 0.22, 0, 0, 0, 0, 0, 0.10], FireHours, [0.3, 0.4, 0.22, 0.08], 3,
        [
            new("{p}电动车违规充电冒烟。", "Smoke from an e-bike charging illegally {p}."),
            new("{p}杂物起火。", "Rubbish fire {p}."),
            new("{p}闻到燃气泄漏气味。", "Smell of a gas leak {p}."),
            new("{p}燃放烟花引燃杂物。", "Fireworks set debris alight {p}."),
        ]),
        new(IncidentCategory.Other, 0.10, [0.81, 0.03, 0.06, 0.05, 0.05, 0, 0, 0, 0], DaytimeHours, [0.75, 0.2, 0.04, 0.01], 12,
        [
            new("{p}发现走失老人，已协助送回。", "Lost elderly person found {p}; helped home."),
            new("{p}求助开锁。", "Locked-out assistance request {p}."),
            new("{p}发现可疑物品。", "Suspicious item found {p}."),
            new("{p}拾得遗失物品。", "Lost property handed in {p}."),
            new("{p}有人求助。", "Request for help {p}."),
        ]),
    ];

    /// <summary>Where-phrases per source (Chinese, English).</summary>
    public static readonly IReadOnlyDictionary<IncidentSource, BilingualName[]> Places = new Dictionary<IncidentSource, BilingualName[]>
    {
        [IncidentSource.Background] = [new("路边", "by the roadside"), new("小区内", "inside a residential compound"), new("商铺门前", "in front of a shop"), new("公交站附近", "near a bus stop"), new("停车场", "in a car park"), new("单元楼下", "outside an apartment building")],
        [IncidentSource.UrbanVillage] = [new("城中村出租屋附近", "near rental rooms in an urban village"), new("村内巷道", "in a village lane"), new("村口小卖部旁", "beside a corner shop at the village entrance")],
        [IncidentSource.Fringe] = [new("城乡结合部废品收购站附近", "near a scrap yard at the urban fringe"), new("自建房附近", "near self-built housing"), new("物流园区附近", "near a logistics yard")],
        [IncidentSource.Nightlife] = [new("夜市摊位附近", "near night-market stalls"), new("烧烤店门前", "outside a barbecue restaurant"), new("歌厅门口", "at a karaoke bar entrance"), new("广场上", "on the square"), new("商场入口", "at a shopping mall entrance")],
        [IncidentSource.Transit] = [new("火车站候车区", "in the station waiting hall"), new("站前广场", "on the station plaza"), new("出站口", "at the station exit"), new("公交枢纽", "at the bus interchange")],
        [IncidentSource.Road] = [new("路口", "at an intersection"), new("主干道上", "on the main road"), new("公交站台旁", "beside a bus stop"), new("辅路上", "on the side road")],
        [IncidentSource.DisorderArea] = [new("治安重点区域内", "inside a public-order hotspot area"), new("网吧附近", "near an internet cafe"), new("台球厅门口", "outside a billiards hall")],
        [IncidentSource.Community] = [new("小区楼道内", "in a residential stairwell"), new("小区地下车库", "in a residential underground garage"), new("小区门口", "at a residential compound gate")],
        [IncidentSource.Mining] = [new("矿区道路旁", "beside a mining-area road"), new("采石场附近", "near a quarry")],
    };

    /// <summary>Weekday factor of a source (ISO day 1 = Monday … 7 = Sunday): nightlife peaks on Friday and Saturday
    /// nights, stations on Friday and Sunday, traffic dips at weekends.</summary>
    public static double WeekdayFactor(IncidentSource source, int isoDay) => source switch
    {
        IncidentSource.Nightlife => isoDay switch { 5 => 1.45, 6 => 1.6, 7 => 1.05, _ => 0.85 },
        IncidentSource.Transit => isoDay is 5 or 7 ? 1.2 : 1.0,
        IncidentSource.Road => isoDay >= 6 ? 0.8 : 1.05,
        _ => 1.0,
    };

    /// <summary>Chinese New Year's Day (Spring Festival) by Gregorian year, 2020–2035.</summary>
    private static readonly IReadOnlyDictionary<int, DateOnly> SpringFestival = new Dictionary<int, DateOnly>
    {
        [2020] = new(2020, 1, 25),
        [2021] = new(2021, 2, 12),
        [2022] = new(2022, 2, 1),
        [2023] = new(2023, 1, 22),
        [2024] = new(2024, 2, 10),
        [2025] = new(2025, 1, 29),
        [2026] = new(2026, 2, 17),
        [2027] = new(2027, 2, 6),
        [2028] = new(2028, 1, 26),
        [2029] = new(2029, 2, 13),
        [2030] = new(2030, 2, 3),
        [2031] = new(2031, 1, 23),
        [2032] = new(2032, 2, 11),
        [2033] = new(2033, 1, 31),
        [2034] = new(2034, 2, 19),
        [2035] = new(2035, 2, 8),
    };

    /// <summary>Days from the nearest Spring Festival (negative before it); years outside the table use 5 February.</summary>
    public static int DaysFromSpringFestival(DateOnly date)
    {
        var best = int.MaxValue;
        for (var year = date.Year - 1; year <= date.Year + 1; year++)
        {
            var festival = SpringFestival.TryGetValue(year, out var known) ? known : new DateOnly(year, 2, 5);
            var days = date.DayNumber - festival.DayNumber;
            if (Math.Abs(days) < Math.Abs(best)) best = days;
        }
        return best;
    }

    /// <summary>Seasonal factor for a category on a local date: a summer peak (stronger for violence, disorder and
    /// disputes), a quiet Spring Festival week (but more burglaries of empty homes and more fires from fireworks),
    /// more scams before the festival, more crashes in the icy months and more fires in the heating season.</summary>
    public static double SeasonalFactor(IncidentCategory category, DateOnly date)
    {
        var phase = 2 * Math.PI * (date.DayOfYear - 196) / 365.25;
        var amplitude = category is IncidentCategory.Violent or IncidentCategory.PublicOrder or IncidentCategory.Dispute ? 0.2 : 0.12;
        var factor = 1 + (amplitude * Math.Cos(phase));
        var festival = DaysFromSpringFestival(date);
        if (festival is >= -3 and <= 7)
        {
            factor *= category switch { IncidentCategory.Burglary => 1.3, IncidentCategory.FireHazard => 1.6, _ => 0.65 };
        }
        else if (festival is >= -25 and < -3 && category == IncidentCategory.Fraud)
        {
            factor *= 1.25;
        }
        if (category == IncidentCategory.Traffic && date.Month is 12 or 1 or 2) factor *= 1.15;
        var heating = date.Month is 12 or 1 or 2 || (date.Month == 11 && date.Day >= 15) || (date.Month == 3 && date.Day <= 15);
        if (category == IncidentCategory.FireHazard && heating) factor *= 1.35;
        return factor;
    }
}
