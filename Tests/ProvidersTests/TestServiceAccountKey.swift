/// A 2048-bit RSA key made for these tests only (`openssl genpkey -algorithm RSA`), PKCS#8 as
/// Google's key files carry it. Generating one at test time blocks a cooperative thread for
/// seconds in debug builds, so it is committed instead. It signs nothing outside the tests.
enum TestServiceAccountKey {
    static let pkcs8PEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCyL2X9hDcCRRr4
        Z9iYqTxjfntz8we9TEF3A+2/bEZXiuMnuehT0tKwFNHevAARGltN6RiPjCJwZKny
        krjLpScIb2c79hN1lzU6nkYuuqMTR5s/TZQ6u/ChC5u9ijGJdWKzUht+iRv4hWQQ
        pLR4okbgqRHcWqJ/YrXm2LGE/+vtWp8ZtHra2yMvXa2GlZ8eeJGYG7qD6kOmSQYW
        KgIWkG76c6lq/Mss53lsZNq74MRG6EJ65guE1KMJIwDRRY4RudVGexMyObnphEXi
        5raCu5TsSIEGC2lOdmYe8Bp0QC6DeoRJk5eCFASdW+RYkVFCZVF2SsDzBRZbDQrm
        zb01Zpl7AgMBAAECggEABSYn09jMwCTgFSU8a0OaCk6pjEhjGl4dltixt5zjjCcS
        zl8/GUutKUfIvXTVqajcfOwLTiags3ptNiR1m54/pQJBy51I+FZwxCthCtD7jRST
        e2j8q2p/7HTJ64MWpbVohJcO/VaX9360orh9EJlb4/puw4feTJZn0ZkZyXvzGjjo
        4MHf0B2XgTglcVNME7iwLIyXhyE6/wzosDtDa04o9hZnjk5fX6vJrr0RMKFmo8kB
        k0PEEwiuFdo2XNOzGUBzPmoZDzbRGrRzwFntirUAvrozIrqHE8zFsjUoAw7TzVXI
        btD3CaejI1eU9q31V/XW7SeVUvaTg2haZR1dmhjkoQKBgQD1p8f+mlLgntF+LiDZ
        BCrjmqktyHpFSAael5IdjkQRRCtdbYlL1gsaKyGFlQlvtm7yNXbOTZpG8SaGisQm
        qvzKLRh/0wfw25SuTgkmAhuxQfxPGXi1OZBHi+GTVD89CiQigpI6I7YoKjHESj4q
        cp7i0DKf+HXBm7fM7rG/iPy9GwKBgQC5sEXwhuduDJLDnUuxk3macpYRZkl5XM7M
        AEc9d/n2iiSon9oMgHNWgpBqNl/A56o4jm2jhpBtjKuLxnxeDumspvr3lbtlZ5J8
        Dgax32BoiMJP2ked+zDZetuU/yH3sU+nj0Jb3ZDT6f/L5XeflFc4d3ra3ITyv05U
        aaTk/Ic7IQKBgEINqVMmf95yFfaNxLtVyYqFzbPH0kjKwyzlqJ5V4Kub3uUyTNad
        aULSEiNvHahyL4blJVr3tuIYebl3mqKjG3HpikrknaAACwyLYx5bNsME8Sj7ul9Q
        aSEz1aXd41swXOMCpPsJGzPVlKgpJmoXg+2M+e/VySQUEOoDzLupw/u9AoGBAKP+
        YkaDXnF6+UN58Bfsv0EAYjkLtWhR5vGUbVaEV2a9qpKiWtkfuL12okSrsPWVpGg+
        oeYCOhwGWJshuUT4trec4Zk3zEFKr7yQRqlhNqwb3EDZ7tY/umzYbIWyrjUri8XY
        aCrqC7acuyVAi92MDVv5aa9RgrlA69TxWIhD3ssBAoGALpz79+7Vtf1pbvYgkv/0
        QnE1jf4TwBcDRzAndpZFMgGc80U7hHwYC+IinEnKabW8lzNQ9Ac9LUxY3XCIYHfk
        ZMLtEFiyblrsMKegx+yFyHcHpU41gxy2nqN194c4uFVlO8A2cMD3RKSLCfMlVZe4
        +hvV0Adaw6VRxz+VDtCZhIo=
        -----END PRIVATE KEY-----
        """
}
