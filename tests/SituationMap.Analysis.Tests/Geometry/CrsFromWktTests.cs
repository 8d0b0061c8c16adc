using SituationMap.Analysis.Geometry;

namespace SituationMap.Analysis.Tests.Geometry;

/// <summary>Shapefile .prj (ESRI WKT), OGC WKT1 with authorities and WKT2 (GeoPackage) texts as they are found in the wild.</summary>
public sealed class CrsFromWktTests
{
    private const string EsriWgs84 =
        """GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    private const string EsriCgcs2000 =
        """GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    private const string EsriUtm50N =
        """PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriGaussKruger114 =
        """PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriWebMercator =
        """PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]""";

    /// <summary>The nested GEOGCS and UNIT carry authorities too; only the outermost one names the CRS.</summary>
    private const string OgcUtm50S =
        """PROJCS["WGS 84 / UTM zone 50S",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",10000000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","32750"]]""";

    private const string Wkt2GaussKruger117 =
        """PROJCRS["CGCS2000 / 3-degree Gauss-Kruger CM 117E",BASEGEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],ID["EPSG",4490]],CONVERSION["3-degree Gauss-Kruger CM 117E",METHOD["Transverse Mercator",ID["EPSG",9807]],PARAMETER["Longitude of natural origin",117,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8802]]],CS[Cartesian,2],AXIS["northing (X)",north,ORDER[1],LENGTHUNIT["metre",1]],AXIS["easting (Y)",east,ORDER[2],LENGTHUNIT["metre",1]],ID["EPSG",4548]]""";

    private const string LocalTransverseMercator =
        """PROJCS["City_Grid_TM_114",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string LocalLambert =
        """PROJCS["Asia_Lambert_Conformal_Conic",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Standard_Parallel_1",30.0],PARAMETER["Standard_Parallel_2",62.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    public static TheoryData<string, string> KnownSystems => new()
    {
        { EsriWgs84, "EPSG:4326" },
        { EsriCgcs2000, "EPSG:4490" },
        { EsriUtm50N, "EPSG:32650" },
        { EsriGaussKruger114, "EPSG:4547" },
        { EsriWebMercator, "EPSG:3857" },
        { OgcUtm50S, "EPSG:32750" },
        { Wkt2GaussKruger117, "EPSG:4548" },
        { EsriGaussKruger114.Replace("CGCS2000_3_Degree_GK_CM_114E", "CGCS2000_3_Degree_GK_Zone_38"), "EPSG:4526" },
        { EsriGaussKruger114.Replace("CGCS2000_3_Degree_GK_CM_114E", "CGCS2000_GK_CM_117E"), "EPSG:4509" },
        { EsriGaussKruger114.Replace("CGCS2000_3_Degree_GK_CM_114E", "CGCS2000_GK_Zone_20"), "EPSG:4498" },
        { EsriUtm50N.Replace("WGS_1984_UTM_Zone_50N", "WGS_1984_UTM_Zone_1S"), "EPSG:32701" },
        { EsriWgs84.Replace("GCS_WGS_1984", "My WGS"), "EPSG:4326" }, // by its datum
    };

    [Theory]
    [MemberData(nameof(KnownSystems))]
    public void KnownSystemsAreRecognisedByAuthorityOrName(string wkt, string id) => Assert.Equal(id, CrsRegistry.FromWkt(wkt)?.Id);

    [Fact]
    public void AnUnknownTransverseMercatorBecomesAnAdHocCrsWithTheSameNumbersAsTheRegistry()
    {
        var crs = CrsRegistry.FromWkt(LocalTransverseMercator)!;
        Assert.Equal(("WKT:City_Grid_TM_114", false, (string?)null), (crs.Id, crs.IsGeographic, crs.OgcUri));
        var (x, y) = crs.FromWgs84(114.8, 30.2);
        var (ex, ey) = CrsRegistry.Find("EPSG:4547")!.FromWgs84(114.8, 30.2);
        Assert.Equal(ex, x, 1e-6);
        Assert.Equal(ey, y, 1e-6);
    }

    [Fact]
    public void AnyOtherProjectionProjNetReadsBecomesAnAdHocCrsThatRoundTrips()
    {
        var crs = CrsRegistry.FromWkt(LocalLambert)!;
        Assert.Equal("WKT:Asia_Lambert_Conformal_Conic", crs.Id);
        var (x, y) = crs.FromWgs84(116.4, 39.9);
        Assert.InRange(x, 900_000, 1_000_000); // 11.4° east of the central meridian at 40°N ≈ 970 km
        var (lon, lat) = crs.ToWgs84(x, y);
        Assert.Equal(116.4, lon, 1e-8);
        Assert.Equal(39.9, lat, 1e-8);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a wkt")]
    [InlineData("""GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""")]
    [InlineData("""LOCAL_CS["Site grid",LOCAL_DATUM["Site",0],UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]""")]
    [InlineData("""PROJCS["Broken",GEOGCS[""")]
    public void UnusableTextGivesNull(string wkt) => Assert.Null(CrsRegistry.FromWkt(wkt));
}
